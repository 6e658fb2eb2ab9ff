// POST /conversations/:id/calls/:mid/outcome: the agent says how a finished call ended for the
// customer (resolved, follow up, wrong number); the call item comes back redrawn.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import { joinHtml, renderError, type PageEnv } from "../../view-context.ts";
import { isCallOutcome } from "../../../domain/call.ts";
import { getMessage } from "../../../store/messages.ts";
import { setCallOutcome } from "../../../store/call-outcomes.ts";
import { PanoError } from "../../../domain/errors.ts";
import { Message } from "../../../../views/conversation/timeline.tsx";
import { toMessageViews, visibleTo } from "./conversation-data.ts";

export function callOutcomePageRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  app.post("/:id/calls/:mid{[0-9]+}/outcome", async (c) => {
    const conv = visibleTo(pano, c, c.req.param("id"));
    const view = c.get("view");
    const mid = Number(c.req.param("mid"));
    const outcome = (await c.req.parseBody()).outcome;
    if (!isCallOutcome(outcome)) return renderError(c, view, 422, view.t("call.outcome_invalid"));
    const m = getMessage(pano.store.sqlite, mid);
    if (!m || m.conversation_id !== conv.id) throw new PanoError("not_found", "Message not found");
    const r = await pano.writer.submit((tx) => setCallOutcome(tx, mid, outcome, c.get("user").id));
    if (!r.ok) return renderError(c, view, 422, view.t(r.reason === "not_ended" ? "call.outcome_not_ended" : "call.outcome_invalid"));
    if (!c.req.header("hx-request")) return c.redirect(`/inbox?c=${conv.id}`, 303);
    return c.html(joinHtml(Message({ ctx: view, m: toMessageViews(pano, conv, [getMessage(pano.store.sqlite, mid)!], view.lang)[0], conversationId: conv.id })));
  });
  return app;
}
