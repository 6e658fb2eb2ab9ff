// "Merge with another customer": search for the other profile of the same person, see its
// channels and conversation count, confirm, merge. The profile open in the panel survives.
import type { ViewContext } from "../context.ts";
import { Icon } from "../layout.tsx";
import { channelLabel } from "../inbox/list.tsx";
import { panelUrls } from "./urls.ts";

export interface MergeCandidate {
  id: number;
  name: string | null;
  phone: string | null;
  email: string | null;
  channels: { channelType: string; channelName: string }[];
  conversationCount: number;
}

export interface MergeState {
  q: string;
  /** null: nothing typed yet. */
  candidates: MergeCandidate[] | null;
  confirm?: MergeCandidate;
}

type PanelRef = { id: number; conversationId: number; name: string | null };

export function MergeBox(props: { ctx: ViewContext; d: PanelRef; state: MergeState }) {
  const { ctx, d, state } = props;
  const t = ctx.t;
  const urls = panelUrls(d);
  const cancel = <button type="button" hx-get={`${urls.panel}&focus=1`} hx-target="#contact-pane" hx-swap="outerHTML">{t("common.cancel")}</button>;
  if (state.confirm) {
    const other = state.confirm;
    const vars = { other: other.name || t("inbox.unknown_contact"), name: d.name || t("inbox.unknown_contact") };
    return (
      <section class="merge-box" aria-labelledby="merge-h">
        <h3 id="merge-h">{t("contact.merge_confirm_title")}</h3>
        <Candidate ctx={ctx} c={other} />
        <p id="merge-explain">{t("contact.merge_confirm", vars)}</p>
        <form hx-post={urls.merge} hx-target="#contact-pane" hx-swap="outerHTML" aria-describedby="merge-explain">
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <input type="hidden" name="other_id" value={String(other.id)} />
          <div class="form-actions">
            <button type="submit" class="primary">{t("contact.merge_do")}</button>
            {/* Not the merge itself: it cannot be undone, so Enter alone must not do it. */}
            <button type="button" hx-get={`${urls.merge}&q=${encodeURIComponent(state.q)}`} hx-target="#contact-pane" hx-swap="outerHTML" autofocus>{t("contact.merge_back")}</button>
            {cancel}
          </div>
        </form>
      </section>
    );
  }
  return (
    <section class="merge-box" aria-labelledby="merge-h">
      <h3 id="merge-h">{t("contact.merge")}</h3>
      <form role="search" class="merge-search" hx-get={urls.results} hx-target="#merge-results" hx-swap="outerHTML" hx-trigger="submit, input delay:250ms">
        <label for="merge-q">{t("contact.merge_search")}</label>
        <input id="merge-q" name="q" type="search" value={state.q} autocomplete="off" autofocus aria-describedby="merge-hint" />
        <p id="merge-hint" class="muted">{t("contact.merge_hint")}</p>
      </form>
      <MergeResults ctx={ctx} d={d} q={state.q} candidates={state.candidates} />
      <div class="form-actions">{cancel}</div>
    </section>
  );
}

export function MergeResults(props: { ctx: ViewContext; d: PanelRef; q: string; candidates: MergeCandidate[] | null }) {
  const { ctx, candidates } = props;
  const t = ctx.t;
  const urls = panelUrls(props.d);
  return (
    <div id="merge-results" aria-live="polite">
      {candidates === null ? null : candidates.length === 0 ? (
        <p class="muted">{t("contact.merge_none")}</p>
      ) : (
        <ul class="merge-candidates">
          {candidates.map((c) => (
            <li>
              <Candidate ctx={ctx} c={c} />
              <button type="button" hx-get={`${urls.confirm}&other=${c.id}&q=${encodeURIComponent(props.q)}`} hx-target="#contact-pane" hx-swap="outerHTML"
                aria-label={t("contact.merge_pick_name", { name: c.name || t("inbox.unknown_contact") })}>{t("contact.merge_pick")}</button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Candidate(props: { ctx: ViewContext; c: MergeCandidate }) {
  const { ctx, c } = props;
  const t = ctx.t;
  return (
    <div class="merge-candidate">
      <strong>{c.name || t("inbox.unknown_contact")}</strong>
      {c.phone || c.email ? <div class="muted">{[c.phone, c.email].filter(Boolean).join(" · ")}</div> : null}
      <ul class="identities">
        {c.channels.map((ch) => (
          <li><Icon name={ch.channelType} /> {channelLabel(ctx, ch.channelType)} · {ch.channelName}</li>
        ))}
      </ul>
      <div class="muted">{t("contact.conversation_count", { n: c.conversationCount })}</div>
    </div>
  );
}
