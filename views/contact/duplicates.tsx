// Suggested duplicates (admins and supervisors; in the settings menu): each pair of profiles side by side with what they
// share; "keep this one" merges the other into it after a confirmation (the merge cannot be undone),
// "not a duplicate" takes the pair off the list for good.
import type { ViewContext } from "../context.ts";
import { Icon } from "../layout.tsx";
import { ActionButton, SettingsFrame } from "../settings/frame.tsx";
import type { Translate } from "../i18n/index.ts";
import { formatDateTime } from "../inbox/time.ts";
import { channelLabel } from "../inbox/list.tsx";
import type { DuplicateReason, SharedDetail } from "../../src/domain/duplicates.ts";

export interface ProfileSide {
  id: number;
  name: string | null;
  phone: string | null;
  email: string | null;
  channels: { channelType: string; channelName: string }[];
  conversations: number;
  lastActivity: number | null;
}

export interface PairView {
  reason: DuplicateReason;
  detail: SharedDetail;
  a: ProfileSide;
  b: ProfileSide;
}

function why(ht: Translate, p: PairView): string {
  const d = p.detail as Record<string, unknown>;
  if (p.reason === "phone") return ht("dup.reason.phone", { value: String(d.phone) });
  if (p.reason === "email") return ht("dup.reason.email", { value: String(d.email) });
  const more = d.avatar ? ht("dup.shared.avatar")
    : d.domain ? ht("dup.shared.domain", { value: String(d.domain) })
    : d.attribute ? ht("dup.shared.attribute", { key: String((d.attribute as { key: string }).key), value: String((d.attribute as { value: string }).value) })
    : "";
  return `${ht("dup.reason.name", { value: String(d.name) })} ${more}`.trim();
}

function Side(props: { ctx: ViewContext; p: ProfileSide; headingId: string }) {
  const { ctx, p } = props;
  const t = ctx.t;
  const ht = ctx.t;
  return (
    <div class="dup-side" data-contact={p.id}>
      <h3 id={props.headingId}><a href={`/contacts/${p.id}`}>{p.name || t("inbox.unknown_contact")}</a></h3>
      <dl>
        <dt>{t("contact.phone")}</dt><dd>{p.phone ?? <span class="muted">{t("common.none")}</span>}</dd>
        <dt>{t("contact.email")}</dt><dd>{p.email ?? <span class="muted">{t("common.none")}</span>}</dd>
        <dt>{ht("dup.channels")}</dt>
        <dd>
          {p.channels.length ? (
            <ul class="identities">{p.channels.map((c) => <li><Icon name={c.channelType} /> {channelLabel(ctx, c.channelType)} · {c.channelName}</li>)}</ul>
          ) : <span class="muted">{t("common.none")}</span>}
        </dd>
        <dt>{ht("dup.conversations")}</dt><dd>{t("contact.conversation_count", { n: p.conversations })}</dd>
        <dt>{ht("dup.last_activity")}</dt><dd>{p.lastActivity ? formatDateTime(p.lastActivity, ctx.lang, ctx.timeZone) : ht("dup.never")}</dd>
      </dl>
    </div>
  );
}

function Pair(props: { ctx: ViewContext; p: PairView }) {
  const { ctx, p } = props;
  const t = ctx.t;
  const ht = ctx.t;
  const key = `${p.a.id}-${p.b.id}`;
  const nameOf = (s: ProfileSide) => s.name || t("inbox.unknown_contact");
  const keep = (survivor: ProfileSide, other: ProfileSide) => (
    <ActionButton ctx={ctx} action="/contacts/duplicates/merge" label={ht("dup.keep_name", { name: nameOf(survivor) })}
      confirm={t("contact.merge_confirm", { other: nameOf(other), name: nameOf(survivor) })} fields={{ survivor: String(survivor.id), other: String(other.id) }} />
  );
  return (
    <section class="dup-pair" id={`dup-${key}`} aria-label={ht("dup.pair", { a: nameOf(p.a), b: nameOf(p.b) })}>
      <p class="dup-reason"><strong>{why(ht, p)}</strong></p>
      <div class="dup-sides">
        <Side ctx={ctx} p={p.a} headingId={`dup-${key}-a`} />
        <Side ctx={ctx} p={p.b} headingId={`dup-${key}-b`} />
      </div>
      <div class="form-actions dup-actions">
        {keep(p.a, p.b)}
        {keep(p.b, p.a)}
        <ActionButton ctx={ctx} action="/contacts/duplicates/dismiss" label={ht("dup.dismiss")} fields={{ a: String(p.a.id), b: String(p.b.id) }} />
      </div>
    </section>
  );
}

export function DuplicatesPage(props: { ctx: ViewContext; pairs: PairView[]; next: string | null; notice: string | null }) {
  const { ctx } = props;
  const ht = ctx.t;
  return (
    <SettingsFrame ctx={ctx} area="duplicates" title={ht("dup.title")} notice={props.notice}>
      <p>{ht("dup.intro")}</p>
      <p class="muted">{ht("dup.checked")}</p>
      {props.pairs.length ? props.pairs.map((p) => <Pair ctx={ctx} p={p} />) : <p class="empty">{ht("dup.empty")}</p>}
      {props.next ? <p><a class="button" href={`/contacts/duplicates?after=${encodeURIComponent(props.next)}`}>{ht("dup.more")}</a></p> : null}
    </SettingsFrame>
  );
}
