// Editing and merging a customer from the contact panel. Every request names the conversation the
// panel sits beside (?c=): the agent must see it, as for the panel itself; a merge also needs the
// other profile to have a conversation the agent sees (as GET /api/v1/contacts/:id answers only
// the conversations its viewer may see). Each change is audited and pushed to other open panels.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import { joinHtml, renderError, type PageEnv } from "../../view-context.ts";
import type { Viewer } from "../../../domain/conversation.ts";
import { contactsWithSameDetails, contactVisibleTo, conversationIdsOf, getContact, identitiesOf, searchContacts, type ContactRow } from "../../../store/contacts.ts";
import { editContact, mergeContactsBy } from "../../../store/contacts-edit.ts";
import { ContactPanel, type PanelMode } from "../../../../views/contact/panel.tsx";
import { MergeResults, type MergeCandidate } from "../../../../views/contact/merge.tsx";
import { loadContactPanel, panelConversation } from "./contact-panel.ts";
import { formFromBody, formOf, validateContactForm } from "./contact-form.ts";

const CANDIDATES = 8;
const SAME_PERSON = 3;

export function contactEditRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;

  const panel = (c: Context<PageEnv>, mode?: PanelMode) => {
    const conv = panelConversation(pano, c);
    return c.html(joinHtml(ContactPanel({ ctx: c.get("view"), d: loadContactPanel(pano, c.get("viewer"), conv), mode })));
  };
  const contactOf = (c: Context<PageEnv>) => getContact(db, panelConversation(pano, c).contact_id)!;

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
      await pano.writer.submit((tx) => editContact(tx, contact.id, patch, { userId: c.get("user").id, changed }));
    }
    const samePerson = (patch.phone || patch.email ? contactsWithSameDetails(db, contact.id, patch, SAME_PERSON) : []).filter((k) => mergeable(k, contact.id, c.get("viewer")));
    return panel(c, { kind: "view", notice: view.t("contact.saved"), focus: true, samePerson });
  });

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
    const merged = await pano.writer.submit((tx) => mergeContactsBy(tx, contact.id, other.id, c.get("user").id));
    if (!merged) return renderError(c, view, 404, view.t("contact.merge_gone"));
    return panel(c, { kind: "view", notice: view.t("contact.merged", { other: other.name || view.t("inbox.unknown_contact") }), focus: true });
  });

  return app;
}
