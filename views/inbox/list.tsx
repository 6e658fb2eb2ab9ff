// The conversation list: one row per conversation, urgent first, then the longest waiting.
// Rows carry their sort key so live updates (pano.js) can slot a row into place.
import { CALL_BACK_LABEL } from "../../src/domain/call.ts";
import type { ViewContext } from "../context.ts";
import { Avatar, Icon } from "../layout.tsx";
import { formatWait, type MessageKey } from "../i18n/index.ts";
import { formatDateTime } from "./time.ts";
import type { SlaLevel, SlaTarget } from "../../src/domain/sla.ts";

export interface InboxFilters {
  scope: "mine" | "unassigned" | "all";
  status: string;
  channel?: number;
  team?: number;
  label?: string;
  priority?: string;
  q?: string;
}

export interface ListRow {
  id: number;
  channelType: string;
  channelName: string;
  contactName: string | null;
  preview: string;
  subject: string | null;
  waitingSince: number | null;
  lastMessageAt: number;
  unread: number;
  assignee: string | null;
  priority: string;
  urgent: boolean;
  status: string;
  labels: string[];
  intent: string | null;
  sortKey: string;
  /** The SLA target due next under the conversation's policy, and its colour now; absent without a policy. */
  sla?: { target: SlaTarget; dueAt: number; level: SlaLevel } | null;
}

/** "còn 12 phút" in amber in a target's last quarter, "quá hạn 5 phút" in red once due. */
function SlaChip(props: { ctx: ViewContext; sla: NonNullable<ListRow["sla"]> }) {
  const { ctx, sla } = props;
  const t = ctx.t;
  const red = sla.level === "red";
  const time = red ? formatWait(sla.dueAt, ctx.now, t) : formatWait(ctx.now, sla.dueAt, t);
  return (
    <span class={`sla sla-${sla.level}`} data-sla-due={sla.dueAt} title={`${t(`sla.target.${sla.target}` as MessageKey)} · ${formatDateTime(sla.dueAt, ctx.lang, ctx.timeZone)}`}>
      {t(red ? "sla.overdue" : "sla.left", { time })}
    </span>
  );
}

export const channelLabel = (ctx: ViewContext, type: string) => ctx.t(`channel.${type}` as MessageKey);

// "other" means the triage found nothing to say; a tag for it would only be noise in the list.
const shownIntent = (row: ListRow) => (row.intent && row.intent !== "other" ? row.intent : null);

export function Row(props: { ctx: ViewContext; row: ListRow; selected?: boolean }) {
  const { ctx, row } = props;
  const t = ctx.t;
  const name = row.contactName || t("inbox.unknown_contact");
  const href = `/inbox?c=${row.id}`;
  return (
    <li id={`conv-${row.id}`} class={`conv-row${row.unread ? " unread" : ""}${props.selected ? " selected" : ""}`} data-id={row.id} data-sort={row.sortKey}>
      <a href={href} hx-get={`/conversations/${row.id}`} hx-target="#conversation" hx-push-url={href} aria-current={props.selected ? "true" : undefined}>
        <span class="ch"><Icon name={row.channelType} label={`${channelLabel(ctx, row.channelType)}: ${row.channelName}`} /></span>
        <span class="who">{name}</span>
        <span class="meta">
          {row.sla ? <SlaChip ctx={ctx} sla={row.sla} /> : null}
          {row.waitingSince ? (
            <span class="wait" title={formatDateTime(row.waitingSince, ctx.lang, ctx.timeZone)}>
              <Icon name="clock" /> {t("inbox.waiting", { time: formatWait(row.waitingSince, ctx.now, t) })}
            </span>
          ) : (
            <time datetime={new Date(row.lastMessageAt).toISOString()}>{formatWait(row.lastMessageAt, ctx.now, t)}</time>
          )}
          {row.unread ? <span class="badge" aria-label={t("inbox.unread", { n: row.unread })}>{row.unread}</span> : null}
          {row.assignee ? <Avatar name={row.assignee} label={t("inbox.assigned_to", { name: row.assignee })} /> : null}
        </span>
        <span class="preview">{row.subject ? `${row.subject} · ` : ""}{row.preview}</span>
        {row.urgent || shownIntent(row) || row.priority !== "normal" || row.labels.length || row.status !== "open" ? (
          <span class="tags">
            {row.urgent ? <span class="tag urgent">{t("conv.tag.urgent")}</span> : null}
            {shownIntent(row) ? <span class={`tag intent intent-${row.intent}`} data-intent={row.intent}>{t(`intent.${row.intent}` as MessageKey)}</span> : null}
            {row.priority !== "normal" && !(row.urgent && row.priority === "urgent") ? <span class={`tag ${row.priority}`}>{t(`priority.${row.priority}` as MessageKey)}</span> : null}
            {row.status !== "open" ? <span class="tag">{t(`status.${row.status}` as MessageKey)}</span> : null}
            {row.labels.map((l) => (l === CALL_BACK_LABEL ? <span class="tag call-back">{t("call.call_back")}</span> : <span class="tag">#{l}</span>))}
          </span>
        ) : null}
      </a>
    </li>
  );
}

/** A page of rows and, when there is more, the sentinel that loads the next page on scroll. */
export function RowsPage(props: { ctx: ViewContext; rows: ListRow[]; next: string | null; query: string; selectedId?: number; first?: boolean }) {
  const { ctx } = props;
  const sep = props.query ? "&" : "";
  return (
    <>
      {props.first && !props.rows.length ? <li class="empty" id="list-empty">{ctx.t("inbox.empty")}</li> : null}
      {props.rows.map((r) => <Row ctx={ctx} row={r} selected={r.id === props.selectedId} />)}
      {props.next ? (
        <li class="more" hx-get={`/inbox/list?${props.query}${sep}cursor=${encodeURIComponent(props.next)}`} hx-trigger="intersect once" hx-swap="outerHTML">
          {ctx.t("common.loading")}
        </li>
      ) : null}
    </>
  );
}
