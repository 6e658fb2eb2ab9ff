// The optional copilot (PANO_LLM_URL, off by default): a reply draft grounded in the conversation,
// the customer's profile and the team's canned replies, and a summary of a long conversation for
// whoever takes it over. Both stream from any OpenAI-compatible server (a local one included)
// token by token into the agent's screen; nothing is ever sent or saved from here. A server that
// is down, slow or talks nonsense ends the stream with a reason and the inbox works as without it.
import { endpointOf } from "./llm.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";

export interface CopilotContext {
  lang: "vi" | "en";
  agentName: string;
  channel: string;
  subject: string | null;
  intent: string | null;
  customer: { name: string | null; phone: string | null; email: string | null; attributes: Record<string, unknown> };
  /** Oldest first; private notes are the team's own words, marked as such. */
  messages: { from: "customer" | "agent" | "note" | "system"; name: string | null; text: string }[];
  canned: { shortcut: string; text: string }[];
}

export type CopilotFailure = "timeout" | "unreachable" | "refused" | "bad_answer" | "busy";
export class CopilotError extends Error {
  constructor(readonly reason: CopilotFailure, detail = "") {
    super(`${reason}${detail ? `: ${detail}` : ""}`);
  }
}

export interface Copilot {
  draft(ctx: CopilotContext, signal: AbortSignal): AsyncGenerator<string>;
  summary(ctx: CopilotContext, signal: AbortSignal): AsyncGenerator<string>;
}

interface Options {
  url: string;
  model: string | null;
  apiKey: string | null;
  /** Until the first token: a server that has not started answering by then is given up on. */
  firstTokenMs: number;
  /** The whole answer. */
  totalMs: number;
  http: typeof fetch;
  log: Logger;
  metrics: Metrics;
  maxInFlight?: number;
}

/** What the model reads: enough of a long conversation's end, never the whole of a huge one. */
const MAX_CONTEXT_CHARS = 12_000;

function transcript(ctx: CopilotContext): string {
  const lines = ctx.messages.map((m) => `${m.from === "customer" ? "KHÁCH" : m.from === "note" ? "GHI CHÚ NỘI BỘ" : m.from === "agent" ? "SHOP" : "HỆ THỐNG"}${m.name ? ` (${m.name})` : ""}: ${m.text}`);
  let out = "";
  for (let i = lines.length - 1; i >= 0 && out.length + lines[i].length < MAX_CONTEXT_CHARS; i--) out = `${lines[i]}\n${out}`;
  return out;
}

function profile(ctx: CopilotContext): string {
  const c = ctx.customer;
  const attrs = Object.entries(c.attributes).slice(0, 20).map(([k, v]) => `${k}: ${String(v).slice(0, 100)}`);
  return [c.name && `Tên: ${c.name}`, c.phone && `Điện thoại: ${c.phone}`, c.email && `Email: ${c.email}`, ...attrs].filter(Boolean).join("\n") || "(không có)";
}

export function draftMessages(ctx: CopilotContext) {
  const system = [
    "You draft the next reply of a shop's customer-service agent in a Vietnamese business's inbox.",
    `The agent is ${ctx.agentName}. Channel: ${ctx.channel}.`,
    "Write only the reply text, in the customer's language (Vietnamese with correct diacritics unless the customer writes English), polite and short, as the shop (xưng \"shop\"/\"em\", gọi khách \"anh/chị\" in Vietnamese).",
    "Use only facts found in the conversation, the customer's profile and the canned replies; prefer a canned reply's wording when one fits. Never invent prices, stock, order status or policies: where a fact is missing, say the shop will check and come back.",
    "Internal notes are the team's own words: use them, never quote them to the customer.",
  ].join("\n");
  const canned = ctx.canned.slice(0, 30).map((c) => `/${c.shortcut}: ${c.text.slice(0, 500)}`).join("\n") || "(không có)";
  const user = `Hồ sơ khách hàng:\n${profile(ctx)}\n\nCâu trả lời mẫu của nhóm:\n${canned}\n\n${ctx.subject ? `Tiêu đề: ${ctx.subject}\n` : ""}Hội thoại (cũ trước, mới sau):\n${transcript(ctx)}\nViết câu trả lời tiếp theo của shop.`;
  return [{ role: "system", content: system }, { role: "user", content: user }];
}

export function summaryMessages(ctx: CopilotContext) {
  const system = [
    "You summarise a customer conversation for a shop agent who takes it over.",
    `Answer in ${ctx.lang === "vi" ? "Vietnamese with correct diacritics" : "English"}, at most 6 short bullet lines:`,
    "who the customer is and what they want, what was already said or promised, what is still open, and the next step. Only facts from the conversation.",
  ].join("\n");
  return [{ role: "system", content: system }, { role: "user", content: `Hồ sơ khách hàng:\n${profile(ctx)}\n\nHội thoại:\n${transcript(ctx)}` }];
}

export function createCopilot(o: Options): Copilot {
  const endpoint = endpointOf(o.url);
  const max = o.maxInFlight ?? 4;
  let inFlight = 0;

  async function* stream(kind: "draft" | "summary", messages: { role: string; content: string }[], signal: AbortSignal): AsyncGenerator<string> {
    if (inFlight >= max) throw new CopilotError("busy");
    inFlight++;
    const started = performance.now();
    const total = AbortSignal.timeout(o.totalMs);
    const first = new AbortController();
    const firstTimer = setTimeout(() => first.abort(new CopilotError("timeout", "no answer")), o.firstTokenMs);
    const all = AbortSignal.any([signal, total, first.signal]);
    let produced = false;
    try {
      const headers: Record<string, string> = { "content-type": "application/json", accept: "text/event-stream" };
      if (o.apiKey) headers.authorization = `Bearer ${o.apiKey}`;
      let res: Response;
      try {
        res = await o.http(endpoint, { method: "POST", headers, signal: all, body: JSON.stringify({ model: o.model ?? "default", stream: true, temperature: 0.3, max_tokens: kind === "draft" ? 400 : 500, messages }) });
      } catch (err) {
        throw all.aborted && !signal.aborted ? new CopilotError("timeout") : signal.aborted ? err : new CopilotError("unreachable", String((err as Error)?.message ?? err));
      }
      if (!res.ok || !res.body) throw new CopilotError("refused", `HTTP ${res.status}`);
      const type = res.headers.get("content-type") ?? "";
      // A server that ignores "stream" answers one JSON completion: taken as one token.
      if (type.includes("application/json")) {
        const body = (await res.json().catch(() => null)) as { choices?: { message?: { content?: unknown } }[] } | null;
        const content = body?.choices?.[0]?.message?.content;
        if (typeof content !== "string" || !content.trim()) throw new CopilotError("bad_answer", "no content");
        clearTimeout(firstTimer);
        produced = true;
        yield content;
        return;
      }
      if (!type.includes("text/event-stream")) throw new CopilotError("bad_answer", `content-type ${type.slice(0, 40)}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let cut: number;
          while ((cut = buf.indexOf("\n")) >= 0) {
            const line = buf.slice(0, cut).trim();
            buf = buf.slice(cut + 1);
            if (!line.startsWith("data:")) continue;
            const data = line.slice(5).trim();
            if (data === "[DONE]") return;
            let chunk: { choices?: { delta?: { content?: unknown } }[] };
            try {
              chunk = JSON.parse(data);
            } catch {
              throw new CopilotError("bad_answer", data.slice(0, 80));
            }
            const piece = chunk.choices?.[0]?.delta?.content;
            if (piece !== undefined && piece !== null && typeof piece !== "string") throw new CopilotError("bad_answer", "content is not text");
            if (piece) {
              clearTimeout(firstTimer);
              produced = true;
              yield piece;
            }
          }
        }
      } catch (err) {
        if (err instanceof CopilotError) throw err;
        throw all.aborted && !signal.aborted ? new CopilotError("timeout") : err;
      } finally {
        reader.releaseLock();
      }
      if (!produced) throw new CopilotError("bad_answer", "empty answer");
    } catch (err) {
      if (err instanceof CopilotError) {
        o.metrics.inc("pano_copilot_failures_total", "Copilot answers that failed", { reason: err.reason });
        o.log("warn", "copilot failed", { kind, reason: err.reason, detail: err.message.slice(0, 200) });
      }
      throw err;
    } finally {
      clearTimeout(firstTimer);
      inFlight--;
      o.metrics.observe("pano_copilot_seconds", "Copilot answer time", (performance.now() - started) / 1000);
    }
  }

  return {
    draft: (ctx, signal) => stream("draft", draftMessages(ctx), signal),
    summary: (ctx, signal) => stream("summary", summaryMessages(ctx), signal),
  };
}
