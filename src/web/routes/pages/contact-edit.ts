// Editing and merging a customer from the contact panel. Every request names the conversation the
// panel sits beside (?c=): the agent must see it, as for the panel itself; a merge also needs the
// other profile to have a conversation the agent sees (as GET /api/v1/contacts/:id answers only
// the conversations its viewer may see). Each change is audited and pushed to other open panels.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import { joinHtml, renderError, type PageEnv } from "../../view-context.ts";
import type { Viewer } from "../../../domain/conversation.ts";
import type { Tx } from "../../../store/writer.ts";
import { contactVisibleTo, conversationIdsOf, getContact, identitiesOf, mergeContacts, searchContacts, updateContact, type ContactRow } from "../../../store/contacts.ts";
import { ContactPanel, type PanelMode } from "../../../../views/contact/panel.tsx";
import { MergeResults, type MergeCandidate } from "../../../../views/contact/merge.tsx";
import { auditAction } from "./settings-form.ts";
import { loadContactPanel, panelConversation } from "./contact.ts";
import { formFromBody, formOf, validateContactForm } from "./contact-form.ts";

const CANDIDATES = 8;
/** Open list rows and headers show the contact's name: they are told to redraw, the newest first. */
const NAME_REFRESH_LIMIT = 50;

export function contactEditRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;

  const panel = (c: Context<PageEnv>, mode?: PanelMode) => {
    const conv = panelConversation(pano, c);
    return c.html(joinHtml(ContactPanel({ ctx: c.get("view"), d: loadContactPanel(pano, c.get("viewer"), conv), mode })));
  };
  const contactOf = (c: Context<PageEnv>) => getContact(db, panelConversation(pano, c).contact_id)!;
  const touchConversations = (tx: Tx, contactId: number) => {
    const ids = tx.db.query<{ id: number }, [number, number]>("SELECT id FROM conversations WHERE contact_id = ? ORDER BY last_message_at DESC LIMIT ?").all(contactId, NAME_REFRESH_LIMIT);
    for (const { id } of ids) tx.emit({ type: "conversation.updated", conversationId: id, changes: ["contact"] });
  };

  app.get("/:id{[0-9]+}/edit", (c) => panel(c, { kind: "edit", form: formOf(contactOf(c)) }));

  // Add or remove an attribute row: the form comes back as typed, with the row changed, nothing saved.
  app.post("/:id{[0-9]+}/edit", async (c) => {
    const form = formFromBody(await c.req.parseBody());
    const op = String((await c.req.parseBody()).op ?? "");
    const remove = /^remove:(\d+)$/.exec(op);
    if (remove) form.attrs.splice(Number(remove[1]), 1);
    if (op === "add") form.attrs.push(["", ""]);
    return panel(c, { kind: "edit", form, focusLast: op === "add" });
  });

  app.post("/:id{[0-9]+}", async (c) => {
    const view = c.get("view");
    const contact = contactOf(c);
    const form = formFromBody(await c.req.parseBody());
    const checked = validateContactForm(form, contact);
    if ("error" in checked) return panel(c, { kind: "edit", form, error: { field: checked.error.field, message: view.t(checked.error.key, checked.error.vars) } });
    const { patch, changed } = checked;
    if (changed.length) {
      await pano.writer.submit((tx) => {
        updateContact(tx, contact.id, patch);
        auditAction(tx, c.get("user").id, "contact.updated", { type: "contact", id: contact.id }, { changed, attributes: patch.attributes ? Object.keys(patch.attributes) : undefined, removed: patch.removeAttributes });
        if (changed.includes("name")) touchConversations(tx, contact.id);
      });
    }
    const samePerson = (patch.phone || patch.email ? sameDetails(contact.id, patch) : []).filter((k) => mergeable(k, contact.id, c.get("viewer")));
    return panel(c, { kind: "view", notice: view.t("contact.saved"), focus: true, samePerson });
  });

  /** Other live profiles with the phone or email just entered: likely the same person, worth a merge. */
  const sameDetails = (self: number, p: { phone?: string | null; email?: string | null }) =>
    db.query<ContactRow, [number, string, string]>("SELECT * FROM contacts WHERE merged_into IS NULL AND id != ? AND (phone = ? OR email = ?) ORDER BY id LIMIT 3")
      .all(self, p.phone ?? "", p.email ?? "");

  const candidate = (k: ContactRow, viewer: Viewer): MergeCandidate => ({
    id: k.id, name: k.name, phone: k.phone, email: k.email,
    channels: identitiesOf(db, k.id).map((i) => ({ channelType: i.channel_type, channelName: pano.channels.get(i.channel_id)?.name ?? "" })),
    conversationCount: conversationIdsOf(db, k.id, viewer).length,
  });
  /** Another live profile the viewer may merge: one they may see. */
  const mergeable = (k: ContactRow | null, self: number, viewer: Viewer): MergeCandidate | null => {
    if (!k || k.merged_into !== null || k.id === self || !contactVisibleTo(db, k.id, viewer)) return null;
    return candidate(k, viewer);
  };
  const search = (q: string, self: number, viewer: Viewer): MergeCandidate[] | null => {
    if (!q.trim()) return null;
    const out: MergeCandidate[] = [];
    for (const k of searchContacts(db, viewer, q.slice(0, 200), CANDIDATES * 5, null)) {
      const cand = mergeable(k, self, viewer);
      if (cand) out.push(cand);
      if (out.length === CANDIDATES) break;
    }
    return out;
  };

  app.get("/:id{[0-9]+}/merge", (c) => {
    const q = c.req.query("q") ?? "";
    return panel(c, { kind: "merge", merge: { q, candidates: search(q, contactOf(c).id, c.get("viewer")) } });
  });

  app.get("/:id{[0-9]+}/merge/results", (c) => {
    const contact = contactOf(c);
    const q = c.req.query("q") ?? "";
    const d = { id: contact.id, conversationId: Number(c.req.query("c")), name: contact.name };
    return c.html(joinHtml(MergeResults({ ctx: c.get("view"), d, q, candidates: search(q, contact.id, c.get("viewer")) })));
  });

  app.get("/:id{[0-9]+}/merge/confirm", (c) => {
    const contact = contactOf(c);
    const other = mergeable(getContact(db, Number(c.req.query("other")) || 0), contact.id, c.get("viewer"));
    if (!other) return renderError(c, c.get("view"), 404, c.get("view").t("contact.merge_gone"));
    return panel(c, { kind: "merge", merge: { q: c.req.query("q") ?? "", candidates: null, confirm: other } });
  });

  app.post("/:id{[0-9]+}/merge", async (c) => {
    const view = c.get("view");
    const contact = contactOf(c);
    const otherId = Number((await c.req.parseBody()).other_id) || 0;
    const other = mergeable(getContact(db, otherId), contact.id, c.get("viewer"));
    if (!other) return renderError(c, view, 404, view.t("contact.merge_gone"));
    const merged = await pano.writer.submit((tx) => {
      const ok = mergeContacts(tx, contact.id, other.id, { actorType: "user", actorId: c.get("user").id });
      if (ok) {
        touchConversations(tx, contact.id);
        // Panels still showing the merged-away profile redraw as the survivor.
        tx.emit({ type: "contact.updated", contactId: other.id });
      }
      return ok;
    });
    if (!merged) return renderError(c, view, 404, view.t("contact.merge_gone"));
    return panel(c, { kind: "view", notice: view.t("contact.merged", { other: other.name || view.t("inbox.unknown_contact") }), focus: true });
  });

  return app;
}
