// One customer's history as a list, newest first: each conversation (channel, status, intent,
// assignee, its last message) and each call (direction, status, outcome, length), on every channel.
// The same list sits in the contact panel (compact, opening into the inbox's middle pane) and on
// the profile page (each conversation's messages can unfold in place). "Older" loads the next page.
import type { ViewContext } from "../context.ts";
import { Icon } from "../layout.tsx";
import type { CallKey, MessageKey } from "../i18n/index.ts";
import { formatDateTime } from "../inbox/time.ts";
import { channelLabel } from "../inbox/list.tsx";
import { hitHref } from "../search/page.tsx";
import { clock } from "../conversation/call.tsx";
import type { CallEntry, ConversationEntry, HistoryEntry } from "../../src/store/customer-history.ts";
import type { MessageView } from "../conversation/timeline.tsx";

export type HistoryPlace = "panel" | "page";

export interface HistoryPage {
  contactId: number;
  entries: HistoryEntry[];
  /** Names of the people entries mention (assignees, who noted a call's outcome). */
  names: Map<number, string>;
  /** The cursor of the next (older) page, or null at the beginning. */
  next: string | null;
  /** The conversation the panel sits beside, marked instead of linked. */
  currentId?: number;
}

export const historyUrl = (p: { contactId: number; next: string; place: HistoryPlace; currentId?: number }) =>
  `/contacts/${p.contactId}/history?place=${p.place}&cursor=${encodeURIComponent(p.next)}${p.currentId ? `&c=${p.currentId}` : ""}`;

const conversationHref = (id: number) => `/inbox?c=${id}&status=all`;

/** The list with its first page (the panel's section or the page's main column). */
export function CustomerHistory(props: { ctx: ViewContext; place: HistoryPlace; page: HistoryPage; headingId: string }) {
  const ht = props.ctx.t;
  return (
    <ul class={`history history-${props.place}`} aria-labelledby={props.headingId}>
      {props.page.entries.length ? null : <li class="muted history-empty">{ht("history.empty")}</li>}
      <HistoryItems ctx={props.ctx} place={props.place} page={props.page} />
    </ul>
  );
}

/** A page of entries and the "older" control after them: what the older button swaps itself for. */
export function HistoryItems(props: { ctx: ViewContext; place: HistoryPlace; page: HistoryPage }) {
  const { ctx, page, place } = props;
  const ht = ctx.t;
  return (
    <>
      {page.entries.map((e) => (e.kind === "call" ? <CallLine ctx={ctx} e={e} page={page} place={place} /> : <ConversationLine ctx={ctx} e={e} page={page} place={place} />))}
      {page.next ? (
        <li class="history-more">
          <button type="button" hx-get={historyUrl({ contactId: page.contactId, next: page.next, place, currentId: page.currentId })} hx-target="closest li" hx-swap="outerHTML">
            {ht("history.older")}
          </button>
        </li>
      ) : page.entries.length && place === "page" ? <li class="history-end muted">{ht("history.end")}</li> : null}
    </>
  );
}

function When(props: { ctx: ViewContext; at: number }) {
  return <time datetime={new Date(props.at).toISOString()}>{formatDateTime(props.at, props.ctx.lang, props.ctx.timeZone)}</time>;
}

/** In the panel a link opens the conversation in the middle pane; on the page it goes to the inbox. */
function Open(props: { place: HistoryPlace; conversationId: number; href: string; pane: string; id?: string; children?: unknown }) {
  return props.place === "panel" ? (
    <a id={props.id} href={props.href} hx-get={props.pane} hx-target="#conversation" hx-push-url={props.href}>{props.children}</a>
  ) : (
    <a id={props.id} href={props.href}>{props.children}</a>
  );
}

/** The entry's facts in one line: what the caller gives (status, intent, outcome), who holds it, when. */
function Facts(props: { ctx: ViewContext; e: HistoryEntry; page: HistoryPage; parts: unknown[] }) {
  const { ctx, e } = props;
  const ht = ctx.t;
  const assignee = e.assignee_id ? props.page.names.get(e.assignee_id) ?? `#${e.assignee_id}` : null;
  const parts = [...props.parts.filter(Boolean), assignee ? ht("history.assignee", { name: assignee }) : ht("history.unassigned"), <When ctx={ctx} at={e.at} />];
  return <p class="history-facts muted">{parts.flatMap((p, i) => (i ? [" · ", p] : [p]))}</p>;
}

function ConversationLine(props: { ctx: ViewContext; e: ConversationEntry; page: HistoryPage; place: HistoryPlace }) {
  const { ctx, e, place } = props;
  const ht = ctx.t;
  const current = e.id === props.page.currentId;
  const title = (
    <>
      <Icon name={e.channel_type} /> <span class="history-channel">{channelLabel(ctx, e.channel_type)} · {e.channel_name}</span>
      <span class="history-preview">{e.subject || e.preview || `#${e.id}`}</span>
    </>
  );
  return (
    <li class="history-entry history-conversation" data-conversation={e.id}>
      {current ? (
        <span aria-current="true">{title} <span class="tag">{ctx.t("contact.this_conversation")}</span></span>
      ) : (
        <Open place={place} conversationId={e.id} href={conversationHref(e.id)} pane={`/conversations/${e.id}`} id={place === "panel" ? `contact-history-${e.id}` : undefined}>{title}</Open>
      )}
      <Facts ctx={ctx} e={e} page={props.page} parts={[
        <span class={`status-tag status-${e.status}`}>{ctx.t(`status.${e.status}` as MessageKey)}</span>,
        e.intent ? <span class="intent">{ctx.t(`intent.${e.intent}` as MessageKey)}</span> : null,
        place === "page" ? ht("history.messages", { n: e.message_count }) : null,
      ]} />
      {place === "page" && e.message_count ? <EarlierMessagesToggle ctx={ctx} conversationId={e.id} /> : null}
    </li>
  );
}

function CallLine(props: { ctx: ViewContext; e: CallEntry; page: HistoryPage; place: HistoryPlace }) {
  const { ctx, e, place } = props;
  const ht = ctx.t;
  const c = e.call;
  const status = c.status === "answered" || c.status === "missed" || c.status === "failed" || c.status === "ringing" ? c.status : "ringing";
  return (
    <li class={`history-entry history-call call-${status}`} data-call={e.id}>
      <Open place={place} conversationId={e.conversation_id} href={hitHref(e.conversation_id, e.id)} pane={`/conversations/${e.conversation_id}?m=${e.id}`}>
        <Icon name="phone" /> <span class="history-channel">{ctx.t(`call.${c.direction}` as CallKey)} · {e.channel_name}</span>
        <span class={`tag call-status ${status}`}>{ctx.t(`call.status.${status}` as CallKey)}</span>
        {c.duration_s ? <span class="history-duration"> {clock(c.duration_s)}</span> : null}
      </Open>
      <Facts ctx={ctx} e={e} page={props.page} parts={[
        e.outcome ? <span class="call-outcome">{ctx.t("call.outcome")}: {ctx.t(`call.outcome.${e.outcome.value}` as CallKey)}</span>
          : c.ended ? ht("history.no_outcome") : null,
      ]} />
    </li>
  );
}

/** "Show messages": the conversation's latest messages unfold in place, loaded when first opened. */
export function EarlierMessagesToggle(props: { ctx: ViewContext; conversationId: number }) {
  const ht = props.ctx.t;
  return (
    <details class="history-messages">
      <summary>{ht("history.show_messages")}</summary>
      <div hx-get={`/contacts/conversations/${props.conversationId}/messages`} hx-trigger="intersect once" hx-swap="outerHTML">
        {props.ctx.t("common.loading")}
      </div>
    </details>
  );
}

/**
 * An earlier conversation's latest messages, oldest first, read-only (no ids the live timeline
 * would take for its own), with "older messages" above them while there are more.
 */
export function EarlierMessages(props: { ctx: ViewContext; conversationId: number; messages: MessageView[]; olderBefore: number | null }) {
  return (
    <div class="earlier-messages">
      <OlderEarlierMessages {...props} />
    </div>
  );
}

/** A page of older messages and, above them, the control for the page before: what that control swaps itself for. */
export function OlderEarlierMessages(props: { ctx: ViewContext; conversationId: number; messages: MessageView[]; olderBefore: number | null }) {
  const { ctx, messages } = props;
  const ht = ctx.t;
  return (
    <>
      {props.olderBefore ? (
        <button type="button" class="small" hx-get={`/contacts/conversations/${props.conversationId}/messages?before=${props.olderBefore}`} hx-target="this" hx-swap="outerHTML">
          {ht("history.older_messages")}
        </button>
      ) : messages.length ? <p class="muted">{ht("history.first_message")}</p> : <p class="muted">{ht("history.no_messages")}</p>}
      {messages.map((m) => (
        <div class={`earlier-msg ${m.private ? "note" : m.direction}`}>
          <p class="by">
            {m.private ? <><Icon name="note" /> {ht("history.note")} · </> : null}
            <strong>{m.author}</strong> <When ctx={ctx} at={m.createdAt} />
          </p>
          {m.call ? (
            <p class="text"><Icon name="phone" /> {ctx.t(`call.${m.call.direction}` as CallKey)} · {ctx.t(`call.status.${m.call.status}` as CallKey)}
              {m.call.talkS ? ` · ${clock(m.call.talkS)}` : ""}
              {m.call.outcome ? ` · ${ctx.t(`call.outcome.${m.call.outcome.value}` as CallKey)}` : ""}</p>
          ) : m.text ? <p class="text">{m.text}</p> : null}
          {m.attachments.length ? <p class="muted"><Icon name="clip" /> {ht("history.attachments", { n: m.attachments.length })}</p> : null}
        </div>
      ))}
    </>
  );
}
