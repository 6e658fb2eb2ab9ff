// Optional second opinion for messages the local model is unsure about: an OpenAI-compatible
// chat completions endpoint (PANO_LLM_URL, PANO_LLM_MODEL, PANO_LLM_API_KEY). It runs after
// commit, never on the ingest path. Down, slow or talking nonsense, it changes nothing but a log
// line and pano_llm_failures_total: the caller keeps the local answer.
import { z } from "zod";
import { INTENTS, type Intent } from "../domain/conversation.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";

export interface LlmVerdict { intent: Intent; urgent: boolean }
export interface LlmTriage { classify(text: string): Promise<LlmVerdict | null> }

interface Options {
  url: string;
  model: string | null;
  apiKey: string | null;
  timeoutMs: number;
  http: typeof fetch;
  log: Logger;
  metrics: Metrics;
  /** More requests than this at once fall back at once instead of piling up behind a slow endpoint. */
  maxInFlight?: number;
}

const PROMPT = [
  "You classify customer messages sent to a Vietnamese business (Vietnamese or English).",
  `intent is one of: ${INTENTS.join(", ")}.`,
  "support_request: the customer needs help with an order, account, delivery or a problem; product_question: asks about products, prices, stock;",
  "complaint: expresses dissatisfaction or demands redress; other: anything else (greetings, thanks, spam).",
  "urgent is true only when the customer needs action now (safety, money lost, a deadline today, threats to leave or to go public).",
  'Answer with one JSON object and nothing else: {"intent": "...", "urgent": true|false}',
].join("\n");

const answerSchema = z.object({ intent: z.enum(INTENTS), urgent: z.boolean() }).strict();
const completionSchema = z.object({ choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1) });

export function endpointOf(url: string): string {
  const base = url.replace(/\/+$/, "");
  return base.endsWith("/chat/completions") ? base : `${base}/chat/completions`;
}

/** The answer must be exactly the JSON object asked for (a ```json fence around it is tolerated). */
export function parseAnswer(content: string): LlmVerdict | null {
  const bare = content.trim().replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "");
  try {
    const r = answerSchema.safeParse(JSON.parse(bare));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export function createLlmTriage(o: Options): LlmTriage {
  const endpoint = endpointOf(o.url);
  const max = o.maxInFlight ?? 8;
  let inFlight = 0;
  const fail = (reason: string, detail?: string) => {
    o.metrics.inc("pano_llm_failures_total", "LLM triage calls that failed; the local answer was kept", { reason });
    o.log("warn", "llm triage failed, keeping the local answer", { reason, ...(detail ? { detail: detail.slice(0, 200) } : {}) });
    return null;
  };
  return {
    async classify(text) {
      if (inFlight >= max) return fail("busy");
      inFlight++;
      const started = performance.now();
      try {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (o.apiKey) headers.authorization = `Bearer ${o.apiKey}`;
        const res = await o.http(endpoint, {
          method: "POST",
          headers,
          signal: AbortSignal.timeout(o.timeoutMs),
          body: JSON.stringify({
            model: o.model ?? "default",
            temperature: 0,
            max_tokens: 50,
            response_format: { type: "json_object" },
            messages: [{ role: "system", content: PROMPT }, { role: "user", content: text.slice(0, 4000) }],
          }),
        });
        if (!res.ok) return fail("http_status", `HTTP ${res.status}`);
        const body = completionSchema.safeParse(await res.json().catch(() => null));
        if (!body.success) return fail("bad_response");
        const verdict = parseAnswer(body.data.choices[0].message.content);
        if (!verdict) return fail("bad_answer", body.data.choices[0].message.content);
        o.metrics.observe("pano_llm_seconds", "LLM triage call latency", (performance.now() - started) / 1000);
        return verdict;
      } catch (err) {
        const name = (err as Error)?.name;
        return fail(name === "TimeoutError" || name === "AbortError" ? "timeout" : "network", String((err as Error)?.message ?? err));
      } finally {
        inFlight--;
      }
    },
  };
}
