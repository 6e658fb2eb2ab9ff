// The timeline: customer messages on the left, replies on the right, private notes in yellow,
// and what happened (assigned, resolved...) as small centred lines. Customer text is always
// escaped by JSX; email HTML (already sanitised at ingest) is shown in a sandboxed frame, its
// quoted history folded and its remote images held back until the agent asks.
import type { ViewContext } from "../context.ts";
import { Icon } from "../layout.tsx";
import { type MessageKey } from "../i18n/index.ts";
import { frameHeight } from "./email-parts.ts";
import { formatDateTime } from "../inbox/time.ts";
import { CallItem, type CallView } from "./call.tsx";
import { NoteText } from "../notifications/mentions.tsx";
import type { Mentionable } from "../../src/domain/mention.ts";

export interface AttachmentView { kind: string; name: string; contentType: string; url: string | null; size: number }

export interface MessageView {
  id: number;
  direction: "in" | "out";
  private: boolean;
  author: string;
  text: string;
  html: string | null;
  status: string;
  error: string | null;
  createdAt: number;
  attachments: AttachmentView[];
  reaction: string | null;
  automatic: boolean;
  /** Part of a satisfaction survey (docs/csat.md): the question Pano sent, or the customer's answer to it. */
  survey?: "question" | "answer" | null;
  /** The folded earlier mail and signature: HTML when `html` is set, text otherwise. */
  quoted?: string | null;
  /** An email with pictures from outside servers: held back ("blocked") or loaded ("shown"). */
  remoteImages?: "blocked" | "shown" | null;
  /** A phone call (message kind "call"): drawn as a call item, not a bubble. */
  call?: CallView | null;
  /** A private note with an "@": who it may name (active people, teams), to mark its mentions. */
  mentionable?: Mentionable[] | null;
  /** Made from a provider's template (a ZNS): its name and the daily quota left after it went. */
  template?: { name: string; quota: { daily: number | null; remaining: number | null } | null } | null;
  /** A queued message held until then (an automatic SMS or ZNS in quiet hours). */
  sendAt?: number | null;
}

export interface EventView {
  id: number;
  action: string;
  actor: string | null;
  /** Already readable values (names, not ids). */
  from: string | null;
  to: string | null;
  createdAt: number;
}

export type TimelineItem = { kind: "msg"; m: MessageView } | { kind: "event"; e: EventView };

const STATUS_ICON: Record<string, string> = { queued: "clock", sent: "check", delivered: "checks", read: "checks", failed: "alert" };

function Attachment(props: { a: AttachmentView; ctx: ViewContext }) {
  const { a } = props;
  if (!a.url) return <p class="muted">{props.ctx.t("conv.attachment_pending", { name: a.name })}</p>;
  if (a.kind === "image" || a.contentType.startsWith("image/")) {
    return <a href={a.url} target="_blank" rel="noopener noreferrer"><img class="inline" src={a.url} alt={a.name} loading="lazy" /></a>;
  }
  return (
    <p class="file"><Icon name="clip" /> <a href={a.url} target="_blank" rel="noopener noreferrer" download={a.name}>{a.name}</a> <span class="muted">({Math.max(1, Math.round(a.size / 1024))} KB)</span></p>
  );
}

/** Frames without scripts or same-origin: the mail can neither run nor reach Pano's page. */
function EmailBody(props: { ctx: ViewContext; m: MessageView; conversationId: number }) {
  const { ctx, m } = props;
  const t = ctx.t;
  return (
    <>
      {m.remoteImages === "blocked" ? (
        <p class="images-blocked">
          <span class="muted">{t("email.remote_images_blocked")}</span>{" "}
          <button type="button" class="small" hx-get={`/conversations/${props.conversationId}/messages/${m.id}?images=1`} hx-target={`#msg-${m.id}`} hx-swap="outerHTML">
            {t("email.show_images")}
          </button>
        </p>
      ) : null}
      <iframe class="email" sandbox="" srcdoc={m.html ?? ""} height={frameHeight(m.html ?? "")} title={t("conv.email_body")} loading="lazy"></iframe>
      {m.quoted ? (
        <details class="quoted">
          <summary title={t("email.quoted_collapsed")}>{t("email.show_quoted")}</summary>
          <iframe class="email-quoted" sandbox="" srcdoc={m.quoted} height={frameHeight(m.quoted)} title={t("email.quoted_collapsed")}></iframe>
        </details>
      ) : null}
    </>
  );
}

export function Message(props: { ctx: ViewContext; m: MessageView; conversationId: number }) {
  const { ctx, m } = props;
  const t = ctx.t;
  const cls = m.private ? "note" : m.direction;
  if (m.call) return <CallItem ctx={ctx} id={m.id} call={m.call} createdAt={m.createdAt} conversationId={props.conversationId} />;
  const when = formatDateTime(m.createdAt, ctx.lang, ctx.timeZone);
  return (
    <article id={`msg-${m.id}`} class={`msg ${cls}`} data-mid={m.id} data-images={m.remoteImages === "shown" ? "1" : undefined} aria-label={m.private ? t("conv.note_by", { name: m.author }) : m.author}>
      <p class="by">
        {m.private ? <><Icon name="note" /> <strong>{t("conv.private_note")}</strong> ·</> : null}
        <span class="author">{m.author}</span>
        <time datetime={new Date(m.createdAt).toISOString()}>{when}</time>
        {m.automatic ? <span class="tag">{t("conv.automatic")}</span> : null}
        {m.survey ? <span class="tag survey-mark">{t(m.survey === "question" ? "csat.mark.question" : "csat.mark.answer")}</span> : null}
        {m.direction === "out" && !m.private ? (
          <span class={`status ${m.status}`}>
            <Icon name={STATUS_ICON[m.status] ?? "clock"} /> {t(`msgstatus.${m.status}` as MessageKey)}
          </span>
        ) : null}
        {m.template ? <TemplateMark ctx={ctx} template={m.template} /> : null}
        {m.sendAt && m.status === "queued" ? <span class="tag send-at" data-send-at="">{t("outreach.send_at", { time: formatDateTime(m.sendAt, ctx.lang, ctx.timeZone) })}</span> : null}
      </p>
      {m.html ? <EmailBody ctx={ctx} m={m} conversationId={props.conversationId} /> : m.text ? <p class="text">{m.mentionable?.length ? <NoteText text={m.text} mentionable={m.mentionable} /> : m.text}</p> : null}
      {!m.html && m.quoted ? (
        <details class="quoted">
          <summary title={t("email.quoted_collapsed")}>{t("email.show_quoted")}</summary>
          <p class="text">{m.quoted}</p>
        </details>
      ) : null}
      {m.attachments.map((a) => <Attachment a={a} ctx={ctx} />)}
      {m.reaction ? <p class="muted">{t("conv.reaction", { emoji: m.reaction })}</p> : null}
      {m.status === "failed" ? (
        <div class="send-error" role="alert">
          <p>{t("conv.failed_reason", { reason: m.error ?? t("conv.failed_unknown") })}</p>
          <button type="button" hx-post={`/conversations/${props.conversationId}/messages/${m.id}/retry`} hx-target={`#msg-${m.id}`} hx-swap="outerHTML">
            {t("conv.retry")}
          </button>
        </div>
      ) : null}
    </article>
  );
}

function TemplateMark(props: { ctx: ViewContext; template: NonNullable<MessageView["template"]> }) {
  const { t } = props.ctx;
  const q = props.template.quota;
  return (
    <span class="tag template-mark" data-template="">
      {t("template.sent_with", { name: props.template.name })}
      {q && q.remaining !== null ? <> · {t("template.quota_left", { remaining: q.remaining, daily: q.daily ?? "?" })}</> : null}
    </span>
  );
}

function describe(ctx: ViewContext, e: EventView): string {
  const t = ctx.t;
  const actor = e.actor ?? t("conv.event.system");
  const none = t("common.none");
  switch (e.action) {
    case "conversation.assigned": return e.to ? t("conv.event.assigned", { actor, to: e.to }) : t("conv.event.unassigned", { actor });
    case "conversation.team": return t("conv.event.team", { actor, to: e.to ?? none });
    case "conversation.status": return t("conv.event.status", { actor, to: e.to ? t(`status.${e.to}` as MessageKey) : none });
    case "conversation.priority": return t("conv.event.priority", { actor, to: e.to ? t(`priority.${e.to}` as MessageKey) : none });
    case "conversation.labels": return t("conv.event.labels", { actor, to: e.to || none });
    case "conversation.intent": return t("conv.event.intent", { actor, to: e.to ? t(`intent.${e.to}` as MessageKey) : none });
    case "conversation.urgent": return e.to === "true" ? t("conv.event.urgent_on", { actor }) : t("conv.event.urgent_off", { actor });
    case "conversation.reopened": return t("conv.event.reopened");
    case "conversation.opened": return t("conv.event.opened");
    case "sla.breached": return t("conv.event.sla_breached", { target: e.to ? t(`drill.missed.${e.to}` as MessageKey) : none });
    case "conversation.csat": return e.from ? t("csat.event.rated_comment", { to: e.to ?? "", comment: e.from }) : t("conv.event.csat", { to: e.to ?? "" });
    case "conversation.csat_sent": return t("csat.event.sent");
    case "conversation.csat_comment": return t("csat.event.comment", { to: e.to ?? "" });
    case "conversation.csat_refused": return t("csat.event.refused", { to: e.to ?? "" });
    case "contact.surveys_stopped": return t("csat.event.stopped");
    case "macro.applied": return t("macro.event.applied", { actor, to: e.to ?? "" });
    default: return t("conv.event.other", { actor, action: e.action });
  }
}

export function Event(props: { ctx: ViewContext; e: EventView }) {
  const { ctx, e } = props;
  return (
    <p class="event" data-aid={e.id}>
      {describe(ctx, e)} · <time datetime={new Date(e.createdAt).toISOString()}>{formatDateTime(e.createdAt, ctx.lang, ctx.timeZone)}</time>
    </p>
  );
}

export function Items(props: { ctx: ViewContext; items: TimelineItem[]; conversationId: number }) {
  return (
    <>
      {props.items.map((i) => (i.kind === "msg" ? <Message ctx={props.ctx} m={i.m} conversationId={props.conversationId} /> : <Event ctx={props.ctx} e={i.e} />))}
    </>
  );
}

/** Older history loads when this scrolls into view (the agent scrolls up). */
export function OlderSentinel(props: { ctx: ViewContext; conversationId: number; beforeId: number | null }) {
  if (props.beforeId === null) return <p class="older">{props.ctx.t("conv.beginning")}</p>;
  return (
    <p class="older" hx-get={`/conversations/${props.conversationId}/older?before=${props.beforeId}`} hx-trigger="intersect once" hx-swap="outerHTML">
      {props.ctx.t("conv.loading_older")}
    </p>
  );
}
