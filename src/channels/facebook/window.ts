// Messenger's standard messaging window, applied before calling the Send API: inside 24 h of the
// customer's last message a reply is a RESPONSE; up to 7 days only a person's reply may go, with
// the HUMAN_AGENT tag, and only if Meta approved it for this app; after that nothing may go.
export const RESPONSE_WINDOW_MS = 24 * 3600_000;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 3600_000;

export type WindowDecision =
  | { ok: true; messagingType: "RESPONSE" }
  | { ok: true; messagingType: "MESSAGE_TAG"; tag: "HUMAN_AGENT" }
  | { ok: false; code: "no_customer_message" | "outside_window" | "human_agent_not_enabled" | "automatic_outside_window"; reason: string; reasonVi: string };

export function decideWindow(input: {
  lastInboundAt: Date | null;
  now: Date;
  authoredBy: "agent" | "automation";
  humanAgentAllowed: boolean;
}): WindowDecision {
  if (!input.lastInboundAt) {
    return {
      ok: false, code: "no_customer_message",
      reason: "Messenger only allows replies to a customer who has messaged the Page.",
      reasonVi: "Messenger chỉ cho phép trả lời khách đã nhắn tin cho Trang.",
    };
  }
  const age = input.now.getTime() - input.lastInboundAt.getTime();
  if (age <= RESPONSE_WINDOW_MS) return { ok: true, messagingType: "RESPONSE" };
  if (age <= HUMAN_AGENT_WINDOW_MS) {
    if (input.authoredBy !== "agent") {
      return {
        ok: false, code: "automatic_outside_window",
        reason: "More than 24 hours since the customer's last message: automatic replies are not allowed, only a person's reply.",
        reasonVi: "Đã quá 24 giờ kể từ tin nhắn cuối của khách: không được gửi trả lời tự động, chỉ nhân viên mới được trả lời.",
      };
    }
    if (!input.humanAgentAllowed) {
      return {
        ok: false, code: "human_agent_not_enabled",
        reason: "More than 24 hours since the customer's last message. Replying up to 7 days needs the HUMAN_AGENT tag, which is not enabled for this Page (it needs Meta's approval).",
        reasonVi: "Đã quá 24 giờ kể từ tin nhắn cuối của khách. Muốn trả lời trong 7 ngày cần thẻ HUMAN_AGENT, nhưng Trang này chưa bật (cần Meta phê duyệt).",
      };
    }
    return { ok: true, messagingType: "MESSAGE_TAG", tag: "HUMAN_AGENT" };
  }
  return {
    ok: false, code: "outside_window",
    reason: "More than 7 days since the customer's last message: Messenger does not allow the Page to message them until they write again.",
    reasonVi: "Đã quá 7 ngày kể từ tin nhắn cuối của khách: Messenger không cho Trang nhắn tiếp cho đến khi khách nhắn lại.",
  };
}
