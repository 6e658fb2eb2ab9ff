// With an LLM configured, messages the local model is unsure about get a second opinion. When the
// LLM is down, slow or talks nonsense, the local answer stands: a log line and a metric, nothing else.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { startFakeLlm, type FakeLlm, type FakeLlmMode } from "./support/fake-llm.ts";
import { customerSays } from "./support/agents.ts";

let pano: PanoProcess;
let llm: FakeLlm;
let channelId: string;

const TEXT = "chào shop, cho mình hỏi chút";

beforeAll(async () => {
  llm = startFakeLlm();
  pano = await startPano({
    // Ask the LLM about every message (confidence is never above 1.01), and give it 500 ms.
    env: { PANO_LLM_URL: llm.url, PANO_LLM_MODEL: "qwen-test", PANO_LLM_API_KEY: "sk-test", PANO_LLM_BELOW_CONFIDENCE: "1.01", PANO_LLM_TIMEOUT_MS: "500" },
  });
  channelId = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Zalo OA" } })).id;
});
afterAll(async () => {
  await pano.stop();
  llm.stop();
});

async function triaged(customer: string) {
  const id = await customerSays(pano, channelId, customer, TEXT);
  return eventually(async () => {
    const c = await pano.json(`/api/v1/conversations/${id}`);
    return c.intent ? c : null;
  }, 10_000, "the conversation to be triaged");
}

const failures = async (reason: string) => {
  const text = await (await fetch(`${pano.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith("pano_llm_failures_total") && l.includes(`reason="${reason}"`));
  return line ? Number(line.split(" ").pop()) : 0;
};

describe("the optional LLM second opinion", () => {
  test("a good answer is used, and the request is a strict-JSON chat completion with the key and model", async () => {
    llm.mode = "answer";
    llm.answer = { intent: "complaint", urgent: true };
    const c = await triaged("kh-llm-ok");
    expect(c).toMatchObject({ intent: "complaint", urgent: true, priority: "urgent" });
    const req = llm.requests.at(-1);
    expect(req.model).toBe("qwen-test");
    expect(req.response_format).toEqual({ type: "json_object" });
    expect(req.messages.at(-1)).toEqual({ role: "user", content: TEXT });
  });

  const cases: [FakeLlmMode, string][] = [["slow", "timeout"], ["garbage", "bad_answer"], ["not_json", "bad_response"], ["error", "http_status"]];
  for (const [mode, reason] of cases) {
    test(`an LLM that is ${mode} changes nothing: the local answer stands and pano_llm_failures_total{reason="${reason}"} counts it`, async () => {
      llm.mode = mode;
      const local = await pano.json("/api/v1/triage", { method: "POST", json: { text: TEXT } });
      const before = await failures(reason);
      const c = await triaged(`kh-llm-${mode}`);
      expect(c.intent).toBe(local.intent);
      expect(c.urgent).toBe(local.urgent);
      expect(await failures(reason)).toBe(before + 1);
      expect(pano.logs()).toContain("llm triage failed, keeping the local answer");
    });
  }

  test("an LLM that is down (nothing listening) changes nothing either", async () => {
    llm.stop();
    const local = await pano.json("/api/v1/triage", { method: "POST", json: { text: TEXT } });
    const c = await triaged("kh-llm-down");
    expect(c.intent).toBe(local.intent);
    expect(await failures("network")).toBeGreaterThanOrEqual(1);
  });
});
