// /api/v1/contacts/:id/history: one customer's conversations and calls on every channel, newest
// first, paged (what the profile page shows); /api/v1/contacts/duplicates: the suggested duplicate
// pairs (admins and supervisors), and POST /api/v1/contacts/duplicates/dismiss {"contact_ids":[a,b]}
// ("not a duplicate", remembered). Mounted by contacts.ts before its /:id routes.
import { Hono } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import { requireRole, type Env } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { contactVisibleTo, getContact } from "../../../store/contacts.ts";
import { customerHistory, decodeHistoryCursor, encodeHistoryCursor, type HistoryEntry } from "../../../store/customer-history.ts";
import { decodePairCursor, dismissDuplicate, encodePairCursor, listDuplicatePairs } from "../../../store/contact-duplicates.ts";
import { idParam, pageLimit, readJson } from "./input.ts";
import { iso, sid } from "./present.ts";
import { callChannelTypes } from "../pages/customer-history.ts";

const dismissSchema = z.object({
  contact_ids: z.array(z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number)).length(2),
});

function presentEntry(e: HistoryEntry) {
  const common = {
    type: e.kind, conversation_id: sid(e.conversation_id), channel_id: sid(e.channel_id), channel_type: e.channel_type,
    status: e.status, assignee_id: sid(e.assignee_id), team_id: sid(e.team_id), at: iso(e.at),
  };
  if (e.kind === "conversation") return { ...common, subject: e.subject, preview: e.preview, intent: e.intent, message_count: e.message_count, created_at: iso(e.created_at) };
  return {
    ...common, message_id: sid(e.id), direction: e.call.direction, call_status: e.call.status, duration_s: e.call.duration_s,
    outcome: e.outcome ? { value: e.outcome.value, by: sid(e.outcome.by), at: e.outcome.at } : null,
  };
}

export function contactHistoryApi(pano: Pano) {
  const app = new Hono<Env>();
  const db = pano.store.sqlite;
  const managers = requireRole("admin", "supervisor");

  app.get("/duplicates", managers, (c) => {
    const limit = pageLimit(c);
    const rows = listDuplicatePairs(db, limit + 1, decodePairCursor(c.req.query("cursor")));
    const page = rows.slice(0, limit);
    return c.json({
      data: page.map((p) => ({ contact_ids: [String(p.a_id), String(p.b_id)], reason: p.reason, shared: JSON.parse(p.detail), found_at: iso(p.found_at) })),
      next_cursor: rows.length > limit ? encodePairCursor(page[page.length - 1]) : null,
    });
  });

  app.post("/duplicates/dismiss", managers, async (c) => {
    const { contact_ids: [a, b] } = await readJson(c, dismissSchema);
    if (a === b) throw new PanoError("validation_failed", "contact_ids: two different contacts", "contact_ids");
    if (!getContact(db, a) || !getContact(db, b)) throw new PanoError("not_found", "Contact not found");
    await pano.writer.submit((tx) => dismissDuplicate(tx, a, b, c.get("user").id));
    return c.json({ contact_ids: [String(Math.min(a, b)), String(Math.max(a, b))], dismissed: true });
  });

  app.get("/:id/history", (c) => {
    const found = getContact(db, idParam(c));
    const k = found?.merged_into ? getContact(db, found.merged_into) : found;
    if (!k || !contactVisibleTo(db, k.id, c.get("viewer"))) throw new PanoError("not_found", "Contact not found");
    const raw = c.req.query("cursor");
    const cursor = decodeHistoryCursor(raw);
    if (raw && !cursor) throw new PanoError("validation_failed", "cursor: not a history cursor", "cursor");
    const { entries, next } = customerHistory(db, k.id, c.get("viewer"), { limit: pageLimit(c), cursor, callTypes: callChannelTypes() });
    return c.json({ data: entries.map(presentEntry), next_cursor: next ? encodeHistoryCursor(next) : null });
  });

  return app;
}
