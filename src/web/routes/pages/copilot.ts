// GET /conversations/:id/copilot/draft and /summary (only with PANO_LLM_URL): the copilot's answer
// streamed as Server-Sent Events — "token" (a JSON string), then "done", or "failed" with the reason
// in the agent's language. The page puts the draft into the composer; nothing is sent from here.
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import { PanoError } from "../../../domain/errors.ts";
import { CannedReplies } from "../../../store/canned-replies.ts";
import { copilotContext } from "../../../store/copilot-context.ts";
import { createCopilot, CopilotError, type Copilot } from "../../../pipeline/copilot.ts";
import type { MessageKey } from "../../../../views/i18n/index.ts";
import { visibleTo } from "./conversation-data.ts";

/** The whole answer, however fast it starts. */
const TOTAL_MS = 30_000;
const copilots = new WeakMap<Pano, Copilot>();

function copilotOf(pano: Pano): Copilot | null {
  const cfg = pano.config;
  if (!cfg.llmUrl) return null;
  let c = copilots.get(pano);
  if (!c) copilots.set(pano, (c = createCopilot({ url: cfg.llmUrl, model: cfg.llmModel, apiKey: cfg.llmApiKey, firstTokenMs: cfg.llmTimeoutMs, totalMs: TOTAL_MS, http: fetch, log: pano.log, metrics: pano.metrics })));
  return c;
}

export function copilotRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  const canned = new CannedReplies(pano.store.sqlite, pano.writer);
  app.get("/:id/copilot/:kind{draft|summary}", (c) => {
    const copilot = copilotOf(pano);
    if (!copilot) throw new PanoError("not_found", "Not found");
    const conv = visibleTo(pano, c, c.req.param("id"));
    const view = c.get("view");
    const ctx = copilotContext(pano.store.sqlite, conv, { viewer: c.get("viewer"), agentName: c.get("user").name, lang: view.lang, channel: pano.channels.get(conv.channel_id)?.type ?? "api", canned });
    const kind = c.req.param("kind") as "draft" | "summary";
    c.header("X-Accel-Buffering", "no");
    return streamSSE(c, async (stream) => {
      const gone = new AbortController();
      stream.onAbort(() => gone.abort());
      try {
        for await (const piece of copilot[kind](ctx, gone.signal)) await stream.writeSSE({ event: "token", data: JSON.stringify(piece) });
        await stream.writeSSE({ event: "done", data: "" });
      } catch (err) {
        if (gone.signal.aborted) return;
        const reason = err instanceof CopilotError ? err.reason : "unreachable";
        await stream.writeSSE({ event: "failed", data: view.t(`copilot.failed.${reason}` as MessageKey) });
      }
    });
  });
  return app;
}
