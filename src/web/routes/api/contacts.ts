// /api/v1/contacts: search (with or without Vietnamese diacritics), view, edit, merge.
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { searchContacts, getContact, updateContact, mergeContacts, conversationIdsOf, type ContactRow } from "../../../store/contacts.ts";
import { auditAction } from "../../../store/audit.ts";
import { readJson, idParam, pageLimit, cursorAfterId, idCursor } from "./input.ts";
import { presentContact } from "./present.ts";

const patchSchema = z.object({
  name: z.string().trim().max(200).nullable().optional(),
  email: z.string().email().nullable().optional(),
  phone: z.string().max(40).nullable().optional(),
  avatar_url: z.string().url().nullable().optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});
const mergeSchema = z.object({ other_id: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number) });

export function contactRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const db = pano.store.sqlite;
  const load = (id: number) => {
    const c = getContact(db, id);
    if (!c) throw new PanoError("not_found", "Contact not found");
    // A merged contact answers as the one it was merged into.
    return c.merged_into ? getContact(db, c.merged_into)! : c;
  };

  app.get("/", (c) => {
    const limit = pageLimit(c);
    const after = cursorAfterId(c);
    const rows = searchContacts(db, c.req.query("q"), limit + 1, after);
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? idCursor(page[page.length - 1].id) : null;
    return c.json({ data: page.map((r) => presentContact(db, r, c.get("viewer"))), next_cursor: next });
  });

  app.get("/:id", (c) => c.json(presentContact(db, load(idParam(c)), c.get("viewer"))));

  // An agent changes only customers they serve: one of the contact's conversations must be
  // visible to them (as in the inbox's contact panel); otherwise the contact does not exist for them.
  const changeable = (c: Context<Env>, contact: ContactRow, what = "Contact") => {
    const viewer = c.get("viewer");
    if (viewer.role === "agent" && conversationIdsOf(db, contact.id, viewer).length === 0) throw new PanoError("not_found", `${what} not found`);
    return contact;
  };

  app.patch("/:id", async (c) => {
    const contact = changeable(c, load(idParam(c)));
    const body = await readJson(c, patchSchema);
    await pano.writer.submit((tx) => {
      updateContact(tx, contact.id, body);
      auditAction(tx, c.get("user").id, "contact.updated", { type: "contact", id: contact.id }, { changed: Object.keys(body), via: "api" });
    });
    return c.json(presentContact(db, getContact(db, contact.id)!, c.get("viewer")));
  });

  app.post("/:id/merge", async (c) => {
    const contact = changeable(c, load(idParam(c)));
    const { other_id } = await readJson(c, mergeSchema);
    const found = getContact(db, other_id);
    if (!found || found.merged_into) throw new PanoError("not_found", "The other contact was not found");
    const other = changeable(c, found, "The other contact");
    if (other.id === contact.id) throw new PanoError("validation_failed", "other_id: cannot merge a contact into itself", "other_id");
    await pano.writer.submit((tx) => mergeContacts(tx, contact.id, other.id, { actorType: "user", actorId: c.get("user").id }));
    return c.json(presentContact(db, getContact(db, contact.id)!, c.get("viewer")));
  });

  return app;
}
