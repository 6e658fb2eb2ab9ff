// A phone call as one timeline item: its direction and outcome at a glance, who answered, how
// long it rang and was talked, why it ended, and the recording as a player once it is stored.
import type { ViewContext } from "../context.ts";
import { Icon } from "../layout.tsx";
import type { CallKey } from "../i18n/index.ts";
import { formatDateTime } from "../inbox/time.ts";

export interface CallView {
  direction: "in" | "out";
  status: "answered" | "missed" | "failed" | "ringing";
  answeredBy: string | null;
  ringS: number | null;
  talkS: number | null;
  endCause: string | null;
  /** The stored recording (a /files/ URL), or "pending" while it is being fetched. */
  recording: { url: string; contentType: string } | "pending" | null;
}

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function clock(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

export function CallItem(props: { ctx: ViewContext; id: number; call: CallView; createdAt: number }) {
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
    </article>
  );
}
