// Messenger's window rule at its edges, as Pano applies it before calling the Send API. The
// HUMAN_AGENT tag is for a person's reply only: an automatic reply never gets it (Meta's policy).
import { expect, test } from "bun:test";
import { decideWindow, RESPONSE_WINDOW_MS, HUMAN_AGENT_WINDOW_MS } from "../src/channels/facebook/window.ts";

const now = new Date("2026-11-25T09:00:00Z");
const wroteAgo = (ms: number) => new Date(now.getTime() - ms);
const decide = (ago: number | null, authoredBy: "agent" | "automation", humanAgentAllowed: boolean) =>
  decideWindow({ lastInboundAt: ago === null ? null : wroteAgo(ago), now, authoredBy, humanAgentAllowed });

test("up to exactly 24 hours any reply, a person's or automatic, is a RESPONSE", () => {
  for (const who of ["agent", "automation"] as const) {
    expect(decide(0, who, false)).toEqual({ ok: true, messagingType: "RESPONSE" });
    expect(decide(RESPONSE_WINDOW_MS, who, false)).toEqual({ ok: true, messagingType: "RESPONSE" });
  }
});

test("past 24 hours and up to 7 days only a person's reply goes, tagged HUMAN_AGENT, and only where enabled", () => {
  for (const ago of [RESPONSE_WINDOW_MS + 1, 3 * 24 * 3600_000, HUMAN_AGENT_WINDOW_MS]) {
    expect(decide(ago, "agent", true)).toEqual({ ok: true, messagingType: "MESSAGE_TAG", tag: "HUMAN_AGENT" });
    expect(decide(ago, "agent", false)).toMatchObject({ ok: false, code: "human_agent_not_enabled" });
    expect(decide(ago, "automation", true)).toMatchObject({ ok: false, code: "automatic_outside_window" });
  }
});

test("past 7 days nothing may go, and a customer who never wrote cannot be messaged", () => {
  expect(decide(HUMAN_AGENT_WINDOW_MS + 1, "agent", true)).toMatchObject({ ok: false, code: "outside_window" });
  expect(decide(null, "agent", true)).toMatchObject({ ok: false, code: "no_customer_message" });
  const refusal = decide(HUMAN_AGENT_WINDOW_MS + 1, "agent", true);
  if (refusal.ok) throw new Error("expected a refusal");
  expect(refusal.reasonVi).toContain("7 ngày");
  expect(refusal.reason).toContain("7 days");
});
