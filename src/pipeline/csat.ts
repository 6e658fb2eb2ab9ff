// Satisfaction surveys go out on their own (docs/csat.md): a conversation resolved in a team that
// asks is given a survey, sent after the team's delay as an automatic message through the outbox,
// in the way of its channel's kind (ChannelKind.sendSurvey). A reopen before then calls it off.
import type { Writer } from "../store/writer.ts";
import type { Store } from "../store/db.ts";
import type { EventBus } from "./events.ts";
import type { ChannelDirectory } from "../store/channels.ts";
import type { Logger } from "../log.ts";
import { channelKind } from "../channels/registry.ts";
import { getConversation } from "../store/conversations.ts";
import { scheduleSurvey, cancelScheduledSurvey, dueSurveys, sendSurvey, type ChannelAsks } from "../store/csat.ts";

type SurveyDeps = { store: Store; writer: Writer; events: EventBus; channels: ChannelDirectory; log: Logger };

function surveySender(d: SurveyDeps) {
  const asks: ChannelAsks = (id) => {
    const ch = d.channels.get(id);
    const kind = ch ? channelKind(ch.type) : null;
    return { kindAsks: !!ch && !!kind?.sendSurvey && (kind.asksSurveys?.(ch) ?? true), active: ch?.status === "active" };
  };
  let sending = false;
  const sendDue = async () => {
    if (sending) return;
    sending = true;
    try {
      const due = dueSurveys(d.store.sqlite, Date.now());
      if (due.length) await d.writer.submit((tx) => due.forEach((id) => sendSurvey(tx, id, asks)));
    } catch (err) {
      d.log("warn", "sending surveys failed", { error: String(err) });
    } finally {
      sending = false;
    }
  };
  return { asks, sendDue };
}

/** Schedules and calls off surveys as this instance commits resolves and reopens; sends what is due at once. */
export function startSurveys(d: SurveyDeps): () => void {
  const { asks, sendDue } = surveySender(d);
  const offUpdated = d.events.on("conversation.updated", (e) => {
    if (!e.changes.includes("status")) return;
    const status = getConversation(d.store.sqlite, e.conversationId)?.status;
    void d.writer.submit((tx) => {
      if (status === "resolved") {
        const hold = scheduleSurvey(tx, e.conversationId, asks);
        if (hold) d.log("debug", "no survey", { conversation_id: e.conversationId, reason: hold });
      } else cancelScheduledSurvey(tx, e.conversationId);
    }).then(sendDue, (err) => d.log("warn", "scheduling a survey failed", { conversation_id: e.conversationId, error: String(err) }));
  });
  // A customer's message reopened it (store/inbound.ts): a survey still waiting is called off.
  const offOpened = d.events.on("conversation.opened", (e) => {
    if (e.reopened) void d.writer.submit((tx) => cancelScheduledSurvey(tx, e.conversationId)).catch(() => {});
  });
  return () => {
    offUpdated();
    offOpened();
  };
}

/** Sends the surveys whose delay has passed, now and every `everyMs`: once across instances (the leader's). */
export function sendDueSurveys(d: SurveyDeps, everyMs = 15_000): () => void {
  const { sendDue } = surveySender(d);
  const timer = setInterval(() => void sendDue(), everyMs);
  void sendDue();
  return () => clearInterval(timer);
}
