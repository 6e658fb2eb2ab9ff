// The composer: reply or private note, Enter sends, Shift+Enter is a new line, "/" offers canned
// replies, a counter shows the channel's limit, and the channel says up front when a reply
// cannot be sent (24 h window closed, customer unfollowed...). Files go with the reply (multipart).
import type { ViewContext } from "../context.ts";
import { Icon } from "../layout.tsx";
import { CopilotTools } from "./copilot.tsx";
import { ComposerWatch } from "./collision.tsx";
import { MacroButton } from "./macros.tsx";
import { TemplateOffer } from "./template-offer.tsx";

export interface ComposerState {
  conversationId: number;
  canSend: boolean;
  reason: string | null;
  limit: number | null;
  /** The channel's meter route (ComposerVerdict.meter): counted as the agent types, shown beside the counter. */
  meter?: string | null;
  canned: { shortcut: string; text: string }[];
  /** PANO_MAX_ATTACHMENT_BYTES in MB, for the hint. */
  maxFileMb: number;
  /** PANO_LLM_URL is set: the copilot's draft and summary buttons. */
  copilot?: boolean;
  /** When text cannot go but a template can (a Zalo window closed: ZNS): the profile panel's template form. */
  templateOffer?: string | null;
}

export function Composer(props: { ctx: ViewContext; s: ComposerState }) {
  const { ctx, s } = props;
  const t = ctx.t;
  const note = !s.canSend;
  return (
    <form id="composer" class={`composer${note ? " private" : ""}`} method="post" action={`/conversations/${s.conversationId}/messages`}
      enctype="multipart/form-data" hx-encoding="multipart/form-data"
      hx-post={`/conversations/${s.conversationId}/messages`} hx-swap="none" data-can-send={s.canSend ? "1" : "0"}>
      <input type="hidden" name="_csrf" value={ctx.csrf} />
      <p class="typing muted" data-typing="" data-text={t("composer.customer_typing")} role="status" aria-live="polite"></p>
      <ComposerWatch ctx={ctx} conversationId={s.conversationId} />
      {s.reason ? <p class="verdict" id="composer-verdict" role="note"><Icon name="alert" /> {s.reason}</p> : null}
      {s.templateOffer ? <TemplateOffer ctx={ctx} href={s.templateOffer} /> : null}
      <fieldset class="mode">
        <legend class="visually-hidden">{t("composer.mode")}</legend>
        <label><input type="radio" name="mode" value="reply" checked={!note} disabled={!s.canSend} /><span>{t("composer.reply")}</span></label>
        <label><input type="radio" name="mode" value="note" checked={note} /><span><Icon name="note" /> {t("composer.note")}</span></label>
      </fieldset>
      <label for="reply-text" class="visually-hidden">{t("composer.label")}</label>
      <textarea id="reply-text" name="text" rows={3} data-limit={s.limit ?? undefined} {...meterAttributes(s)}
        placeholder={note ? t("composer.note_placeholder") : t("composer.placeholder")}
        data-placeholder-reply={t("composer.placeholder")} data-placeholder-note={t("composer.note_placeholder")}
        aria-describedby={`composer-hint${s.reason ? " composer-verdict" : ""}`} aria-autocomplete="list" aria-controls="canned"></textarea>
      <ul id="canned" class="canned" role="listbox" aria-label={t("composer.canned")} hidden>
        {s.canned.map((c) => (
          <li role="option" data-shortcut={c.shortcut} data-text={c.text}><code>/{c.shortcut}</code>{c.text.length > 80 ? `${c.text.slice(0, 80)}…` : c.text}</li>
        ))}
      </ul>
      <div class="bar">
        <label class="attach" title={t("composer.attach_hint", { n: s.maxFileMb })}>
          <input type="file" name="files" multiple data-files="" class="visually-hidden" />
          <Icon name="clip" /> <span>{t("composer.attach")}</span>
        </label>
        <MacroButton ctx={ctx} />
        {s.copilot ? <CopilotTools ctx={ctx} conversationId={s.conversationId} /> : null}
        <span class="chosen muted" data-chosen="" aria-live="polite"></span>
        <small id="composer-hint" class="muted">{t("composer.hint")}</small>
        {s.meter ? <output id="composer-meter" class="meter muted" aria-live="polite" data-meter=""></output> : null}
        <span class="counter" aria-live="off" data-counter="">{s.limit ? `0/${s.limit}` : ""}</span>
        <button type="submit" class="primary" data-send=""><Icon name="send" /> <span data-send-label="" data-reply={t("composer.send")} data-note={t("composer.add_note")}>{note ? t("composer.add_note") : t("composer.send")}</span></button>
      </div>
    </form>
  );
}

/** The textarea asks the channel's meter as the agent types, and when reply/note changes (the form's fields go with it). */
function meterAttributes(s: ComposerState): Record<string, string> {
  if (!s.meter || !s.canSend) return {};
  return {
    "hx-post": `${s.meter}?conversation=${s.conversationId}`,
    "hx-trigger": "input changed delay:200ms, change from:closest form",
    "hx-target": "#composer-meter",
    "hx-swap": "innerHTML",
    "hx-sync": "this:replace",
  };
}
