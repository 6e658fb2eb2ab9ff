// POST /api/v1/conversations/:id/calls/:message_id/outcome {"outcome": "resolved|follow_up|wrong_number"}:
// how a finished call ended for the customer, as the agent's screen sets it; → 200 the call message.
import { Hono } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { CALL_OUTCOMES } from "../../../domain/call.ts";
import { getMessage, attachmentsFor } from "../../../store/messages.ts";
import { setCallOutcome } from "../../../store/call-outcomes.ts";
import { readJson, idParam } from "./input.ts";
import { presentMessage } from "./present.ts";
import { visibleConversation } from "./conversations.ts";

const OutcomeBody = z.object({ outcome: z.enum(CALL_OUTCOMES) });

export function callOutcomeRoutes(pano: Pano) {
  const app = new Hono<Env>();
  app.post("/:id/calls/:mid/outcome", async (c) => {
    const conv = visibleConversation(pano, c, idParam(c));
    const mid = idParam(c, "mid");
    const body = await readJson(c, OutcomeBody);
    const m = getMessage(pano.store.sqlite, mid);
    if (!m || m.conversation_id !== conv.id) throw new PanoError("not_found", "Message not found");
    const r = await pano.writer.submit((tx) => setCallOutcome(tx, mid, body.outcome, c.get("user").id));
    if (!r.ok) throw new PanoError("validation_failed", r.reason === "not_ended" ? "outcome: the call has not ended yet" : "message_id: not a call", "outcome");
    return c.json(presentMessage(getMessage(pano.store.sqlite, mid)!, attachmentsFor(pano.store.sqlite, [mid]).get(mid) ?? [], pano.config.publicUrl));
  });
  return app;
}
