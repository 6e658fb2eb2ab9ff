// The conversation's header: who, on which channel, and every action an agent takes on it.
// Each control is a small form that works with or without JavaScript; htmx swaps the header.
import { DialButton } from "../contact/dial.tsx";
import { CALL_BACK_LABEL } from "../../src/domain/call.ts";
import type { Child } from "hono/jsx";
import type { ViewContext } from "../context.ts";
import { Icon } from "../layout.tsx";
import { type MessageKey } from "../i18n/index.ts";
import { formatDateTime } from "../inbox/time.ts";
import { channelLabel } from "../inbox/list.tsx";
import { tagKey } from "../../src/domain/triage/custom-categories.ts";

export interface ConversationHead {
  id: number;
  contactName: string | null;
  channelType: string;
  channelName: string;
  status: string;
  assigneeId: number | null;
  teamId: number | null;
  priority: string;
  labels: string[];
  intent: string | null;
  urgent: boolean;
  snoozedUntil: number | null;
  contactId?: number;
  /** The customer has a phone and a channel can place calls: the header offers "Gọi điện". */
  canDial?: boolean;
  /** The shop's own categories suggested on the customer's messages, with their confidence. */
  categories?: { tag: string; confidence: number }[];
}

/** Suggested categories not yet among the labels: one click makes one a label (which also teaches it). */
function CategorySuggestions(props: { ctx: ViewContext; h: ConversationHead }) {
  const { ctx, h } = props;
  const have = new Set(h.labels.map(tagKey));
  const open = (h.categories ?? []).filter((c) => !have.has(tagKey(c.tag)));
  if (!open.length) return null;
  return (
    <div class="category-suggestions" role="group" aria-label={ctx.t("conv.categories_suggested")}>
      <span class="muted">{ctx.t("conv.categories_suggested")}:</span>
      {open.map((c) => (
        <ActionForm ctx={ctx} id={h.id} action="labels" class="inline">
          <input type="hidden" name="labels" value={[...h.labels, c.tag].join(", ")} />
          <button type="submit" class="tag-button suggestion" title={ctx.t("conv.category_add", { tag: c.tag })}>+ {c.tag} · {Math.round(c.confidence * 100)}%</button>
        </ActionForm>
      ))}
    </div>
  );
}

export interface ActionOptions {
  agents: { id: number; name: string }[];
  teams: { id: number; name: string }[];
}

const INTENTS = ["support_request", "product_question", "complaint", "other"] as const;
const PRIORITIES = ["urgent", "high", "normal", "low"] as const;

function ActionForm(props: { ctx: ViewContext; id: number; action: string; children?: Child; class?: string }) {
  return (
    <form method="post" action={`/conversations/${props.id}/actions`} hx-post={`/conversations/${props.id}/actions`} hx-target="#conv-head" hx-swap="outerHTML" class={props.class}>
      <input type="hidden" name="_csrf" value={props.ctx.csrf} />
      <input type="hidden" name="action" value={props.action} />
      {props.children}
    </form>
  );
}

/** "2026-11-25T09:30" in the agent's time zone, for a datetime-local input. */
function localInput(ms: number, timeZone: string): string {
  const p = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(ms);
  const g = (k: string) => p.find((x) => x.type === k)?.value ?? "00";
  return `${g("year")}-${g("month")}-${g("day")}T${g("hour")}:${g("minute")}`;
}

export function ConversationHeader(props: { ctx: ViewContext; head: ConversationHead; options: ActionOptions }) {
  const { ctx, head: h, options } = props;
  const t = ctx.t;
  const me = ctx.user.id;
  return (
    <header id="conv-head" class="conv-head" data-status={h.status} data-conversation={h.id}>
      <a class="back-link button" href="/inbox" data-back=""><Icon name="back" /> {t("conv.back")}</a>
      <h2 id="conv-title">
        <Icon name={h.channelType} label={channelLabel(ctx, h.channelType)} /> {h.contactName || t("inbox.unknown_contact")}
        <span class="muted channel-name"> · {h.channelName}</span>
      </h2>
      {h.canDial && h.contactId ? <DialButton ctx={ctx} contactId={h.contactId} place="head" /> : null}
      <button type="button" class="contact-toggle icon-button" data-toggle-contact="" aria-controls="contact-pane" aria-label={t("contact.pane")}><Icon name="user" /></button>
      <p class="state">
        <span class={`tag status-${h.status}`}>{t(`status.${h.status}` as MessageKey)}</span>
        {h.labels.includes(CALL_BACK_LABEL) ? <span class="tag call-back">{t("call.call_back")}</span> : null}
        {h.snoozedUntil && h.status === "snoozed" ? <span class="muted"> {t("conv.snoozed_until", { time: formatDateTime(h.snoozedUntil, ctx.lang, ctx.timeZone) })}</span> : null}
        <ActionForm ctx={ctx} id={h.id} action="urgent" class="inline">
          <input type="hidden" name="urgent" value={h.urgent ? "0" : "1"} />
          <button type="submit" class={`tag-button${h.urgent ? " on" : ""}`} aria-pressed={h.urgent ? "true" : "false"} title={t("conv.urgent_toggle")}>
            {t("conv.tag.urgent")}
          </button>
        </ActionForm>
        <ActionForm ctx={ctx} id={h.id} action="intent" class="inline">
          <label for="act-intent" class="visually-hidden">{t("conv.intent")}</label>
          <select id="act-intent" name="intent" data-autosubmit="" title={t("conv.intent")}>
            <option value="">{t("conv.intent_none")}</option>
            {INTENTS.map((i) => <option value={i} selected={h.intent === i}>{t(`intent.${i}` as MessageKey)}</option>)}
          </select>
          <button type="submit" class="js-hidden">{t("common.save")}</button>
        </ActionForm>
      </p>
      <CategorySuggestions ctx={ctx} h={h} />
      <div class="conv-actions" role="group" aria-label={t("conv.actions")}>
        {/* A manager scores a resolved conversation on a QA scorecard (views/qa). */}
        {h.status === "resolved" && ctx.user.role !== "agent" ? <a class="button" href={`/qa/conversations/${h.id}`} data-action="qa-review">{t("qa.queue.review")}</a> : null}
        {h.assigneeId !== me ? (
          <ActionForm ctx={ctx} id={h.id} action="assign_me"><button type="submit" data-action="assign-me">{t("conv.assign_me")}</button></ActionForm>
        ) : null}
        <ActionForm ctx={ctx} id={h.id} action="assign">
          <label for="act-assignee" class="visually-hidden">{t("conv.assignee")}</label>
          <select id="act-assignee" name="assignee" data-autosubmit="" title={t("conv.assignee")}>
            <option value="">{t("conv.unassigned")}</option>
            {options.agents.map((a) => <option value={a.id} selected={a.id === h.assigneeId}>{a.name}</option>)}
          </select>
          <button type="submit" class="js-hidden">{t("conv.assign")}</button>
        </ActionForm>
        {options.teams.length ? (
          <ActionForm ctx={ctx} id={h.id} action="team">
            <label for="act-team" class="visually-hidden">{t("conv.team")}</label>
            <select id="act-team" name="team" data-autosubmit="" title={t("conv.team")}>
              <option value="">{t("conv.no_team")}</option>
              {options.teams.map((x) => <option value={x.id} selected={x.id === h.teamId}>{x.name}</option>)}
            </select>
            <button type="submit" class="js-hidden">{t("conv.assign")}</button>
          </ActionForm>
        ) : null}
        <ActionForm ctx={ctx} id={h.id} action="priority">
          <label for="act-priority" class="visually-hidden">{t("inbox.priority")}</label>
          <select id="act-priority" name="priority" data-autosubmit="" title={t("inbox.priority")}>
            {PRIORITIES.map((p) => <option value={p} selected={p === h.priority}>{t(`priority.${p}` as MessageKey)}</option>)}
          </select>
          <button type="submit" class="js-hidden">{t("common.save")}</button>
        </ActionForm>
        <ActionForm ctx={ctx} id={h.id} action="labels" class="labels-form">
          <label for="act-labels" class="visually-hidden">{t("conv.labels")}</label>
          <input id="act-labels" name="labels" value={h.labels.join(", ")} placeholder={t("conv.labels_placeholder")} size={12} />
          <button type="submit">{t("conv.labels_save")}</button>
        </ActionForm>
        {h.status === "open" ? null : (
          <ActionForm ctx={ctx} id={h.id} action="status"><input type="hidden" name="status" value="open" /><button type="submit">{t("conv.reopen")}</button></ActionForm>
        )}
        {h.status === "pending" ? null : (
          <ActionForm ctx={ctx} id={h.id} action="status"><input type="hidden" name="status" value="pending" /><button type="submit">{t("conv.pending")}</button></ActionForm>
        )}
        <details class="snooze">
          <summary class="button">{t("conv.snooze")}</summary>
          <ActionForm ctx={ctx} id={h.id} action="snooze">
            <label for="act-until">{t("conv.snooze_until")}</label>
            <input id="act-until" type="datetime-local" name="until" required value={localInput(ctx.now + 3 * 3600_000, ctx.timeZone)} />
            <button type="submit">{t("conv.snooze")}</button>
          </ActionForm>
        </details>
        {h.status === "resolved" ? null : (
          <ActionForm ctx={ctx} id={h.id} action="status">
            <input type="hidden" name="status" value="resolved" />
            <button type="submit" class="primary" data-action="resolve"><Icon name="check" /> {t("conv.resolve")}</button>
          </ActionForm>
        )}
      </div>
    </header>
  );
}
