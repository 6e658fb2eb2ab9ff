// /api/v1/contacts: search (with or without Vietnamese diacritics), view, edit, merge.
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { searchContacts, getContact, contactVisibleTo, type ContactRow } from "../../../store/contacts.ts";
import { editContact, mergeContactsBy } from "../../../store/contacts-edit.ts";
import { readJson, idParam, pageLimit, cursorAfterId, idCursor } from "./input.ts";
import { presentContact } from "./present.ts";
import { webUrlOrNull } from "../../../domain/text.ts";
import { contactHistoryApi } from "./contact-history.ts";

const patchSchema = z.object({
  name: z.string().trim().max(200).nullable().optional(),
  email: z.string().email().nullable().optional(),
  phone: z.string().max(40).nullable().optional(),
  avatar_url: z.string().url().refine((u) => webUrlOrNull(u) !== null, "must be an http(s) URL").nullable().optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});
const mergeSchema = z.object({ other_id: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number) });

export function contactRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const db = pano.store.sqlite;
  const load = (c: Context<Env>, id: number) => {
    const found = getContact(db, id);
    // A merged contact answers as the one it was merged into.
    const contact = found?.merged_into ? getContact(db, found.merged_into) : found;
    return visible(c, contact);
  };
  app.route("/", contactHistoryApi(pano));
  // A customer the viewer may not see does not exist for them (404, as for conversations).
  const visible = (c: Context<Env>, contact: ContactRow | null, what = "Contact") => {
    if (!contact || !contactVisibleTo(db, contact.id, c.get("viewer"))) throw new PanoError("not_found", `${what} not found`);
    return contact;
  };

  app.get("/", (c) => {
    const limit = pageLimit(c);
    const after = cursorAfterId(c);
    const rows = searchContacts(db, c.get("viewer"), c.req.query("q"), limit + 1, after);
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? idCursor(page[page.length - 1].id) : null;
    return c.json({ data: page.map((r) => presentContact(db, r, c.get("viewer"))), next_cursor: next });
  });

  app.get("/:id", (c) => c.json(presentContact(db, load(c, idParam(c)), c.get("viewer"))));

  app.patch("/:id", async (c) => {
    const contact = load(c, idParam(c));
    const body = await readJson(c, patchSchema);
    await pano.writer.submit((tx) => editContact(tx, contact.id, body, { userId: c.get("user").id, changed: Object.keys(body), via: "api" }));
    return c.json(presentContact(db, getContact(db, contact.id)!, c.get("viewer")));
  });

  app.post("/:id/merge", async (c) => {
    const contact = load(c, idParam(c));
    const { other_id } = await readJson(c, mergeSchema);
    const found = getContact(db, other_id);
    const other = visible(c, found?.merged_into ? null : found, "The other contact");
    if (other.id === contact.id) throw new PanoError("validation_failed", "other_id: cannot merge a contact into itself", "other_id");
    await pano.writer.submit((tx) => mergeContactsBy(tx, contact.id, other.id, c.get("user").id));
    return c.json(presentContact(db, getContact(db, contact.id)!, c.get("viewer")));
  });

  return app;
}
