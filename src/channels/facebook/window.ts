// Messenger's standard messaging window, applied before calling the Send API: inside 24 h of the
// customer's last message a reply is a RESPONSE; up to 7 days only a person's reply may go, with
// the HUMAN_AGENT tag, and only if Meta approved it for this app; after that nothing may go.
import { facebookText } from "./texts.ts";

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
  if (!input.lastInboundAt) return refusal("no_customer_message");
  const age = input.now.getTime() - input.lastInboundAt.getTime();
  if (age <= RESPONSE_WINDOW_MS) return { ok: true, messagingType: "RESPONSE" };
  if (age <= HUMAN_AGENT_WINDOW_MS) {
    // Meta's policy: the tag is for a person's reply, never for automation.
    if (input.authoredBy !== "agent") return refusal("automatic_outside_window");
    if (!input.humanAgentAllowed) return refusal("human_agent_not_enabled");
    return { ok: true, messagingType: "MESSAGE_TAG", tag: "HUMAN_AGENT" };
  }
  return refusal("outside_window");
}

type RefusalCode = Extract<WindowDecision, { ok: false }>["code"];

function refusal(code: RefusalCode): WindowDecision {
  const text = facebookText(`facebook.window.${code}`);
  return { ok: false, code, reason: text.en, reasonVi: text.vi };
}
