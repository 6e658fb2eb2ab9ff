// A phone call as one timeline item: its direction and outcome at a glance, who answered, how
// long it rang and was talked, why it ended, and the recording as a player once it is stored.
import type { ViewContext } from "../context.ts";
import { Icon } from "../layout.tsx";
import type { CallKey } from "../i18n/index.ts";
import { formatDateTime } from "../inbox/time.ts";
import { CALL_OUTCOMES, type CallOutcome } from "../../src/domain/call.ts";

export interface CallView {
  direction: "in" | "out";
  status: "answered" | "missed" | "failed" | "ringing";
  answeredBy: string | null;
  ringS: number | null;
  talkS: number | null;
  endCause: string | null;
  /** The stored recording (a /files/ URL), or "pending" while it is being fetched. */
  recording: { url: string; contentType: string } | "pending" | null;
  /** Over: the agent may say how it ended for the customer. */
  ended: boolean;
  outcome: { value: CallOutcome; by: string } | null;
}

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function clock(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

export function CallItem(props: { ctx: ViewContext; id: number; call: CallView; createdAt: number; conversationId: number }) {
  const { ctx, call } = props;
  const t = ctx.t;
  return (
    <article id={`msg-${props.id}`} class={`msg call ${call.direction} call-${call.status}`} data-mid={props.id} aria-label={t(`call.${call.direction}` as CallKey)}>
      <p class="by">
        <Icon name="phone" /> <strong>{t(`call.${call.direction}` as CallKey)}</strong>
        <span class={`tag call-status ${call.status}`}>{t(`call.status.${call.status}` as CallKey)}</span>
        <time datetime={new Date(props.createdAt).toISOString()}>{formatDateTime(props.createdAt, ctx.lang, ctx.timeZone)}</time>
      </p>
      <p class="call-facts">
        {call.answeredBy ? <span>{t("call.answered_by", { name: call.answeredBy })}</span> : null}
        {call.ringS !== null ? <span>{t("call.ring_time", { time: clock(call.ringS) })}</span> : null}
        {call.talkS ? <span>{t("call.talk_time", { time: clock(call.talkS) })}</span> : null}
        {call.endCause ? <span>{t("call.end_cause", { cause: call.endCause })}</span> : null}
      </p>
      {call.recording === "pending" ? <p class="muted">{t("call.recording_pending")}</p> : null}
      {call.recording && call.recording !== "pending" ? (
        <audio class="call-recording" controls preload="none" src={call.recording.url} aria-label={t("call.recording")}>
          <a href={call.recording.url}>{t("call.recording")}</a>
        </audio>
      ) : null}
      {call.ended ? <CallOutcomeChoice ctx={ctx} id={props.id} conversationId={props.conversationId} outcome={call.outcome} /> : null}
    </article>
  );
}

/** After the call: resolved, follow up or wrong number, one click, changeable; who said it shows. */
function CallOutcomeChoice(props: { ctx: ViewContext; id: number; conversationId: number; outcome: CallView["outcome"] }) {
  const { ctx, outcome } = props;
  const t = ctx.t;
  return (
    <form class="call-outcome" hx-post={`/conversations/${props.conversationId}/calls/${props.id}/outcome`} hx-target={`#msg-${props.id}`} hx-swap="outerHTML"
      method="post" action={`/conversations/${props.conversationId}/calls/${props.id}/outcome`} aria-label={t("call.outcome")}>
      <span class="muted">{t("call.outcome")}:</span>
      {CALL_OUTCOMES.map((o) => (
        <button type="submit" name="outcome" value={o} class={`chip${outcome?.value === o ? " chosen" : ""}`} aria-pressed={outcome?.value === o ? "true" : "false"}>
          {t(`call.outcome.${o}` as CallKey)}
        </button>
      ))}
      {outcome ? <span class="muted call-outcome-by">{t("call.outcome_by", { name: outcome.by })}</span> : null}
    </form>
  );
}
