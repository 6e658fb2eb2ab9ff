// The contact panel beside an open conversation (also GET /contacts/:id/panel?c=<conversation>);
// editing and merging from it live in contact-edit.ts.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import { joinHtml, pageSession, type PageEnv } from "../../view-context.ts";
import { canSee, type Viewer } from "../../../domain/conversation.ts";
import type { ConversationRow } from "../../../store/conversations.ts";
import { getContact, identitiesOf } from "../../../store/contacts.ts";
import { PanoError } from "../../../domain/errors.ts";
import { ContactPanel, type ContactPanelData } from "../../../../views/contact/panel.tsx";
import { visibleTo } from "./conversation-data.ts";
import { contactEditRoutes } from "./contact-edit.ts";
import { formOf } from "./contact-form.ts";

const HISTORY_LIMIT = 20;

export function loadContactPanel(pano: Pano, viewer: Viewer, conv: ConversationRow): ContactPanelData {
  const db = pano.store.sqlite;
  const k = getContact(db, conv.contact_id);
  if (!k) throw new PanoError("not_found", "Contact not found");
  const attrs = formOf(k).attrs;
  const history = db
    .query<{ id: number; channel_id: number; status: string; last_preview: string; last_message_at: number; assignee_id: number | null; team_id: number | null }, [number, number]>(
      "SELECT id, channel_id, status, last_preview, last_message_at, assignee_id, team_id FROM conversations WHERE contact_id = ? ORDER BY last_message_at DESC LIMIT ?",
    )
    .all(k.id, HISTORY_LIMIT * 2)
    .filter((h) => canSee(viewer, { assigneeId: h.assignee_id, teamId: h.team_id }))
    .slice(0, HISTORY_LIMIT);
  return {
    id: k.id, conversationId: conv.id, name: k.name, avatarUrl: k.avatar_url, phone: k.phone, email: k.email, attributes: attrs,
    identities: identitiesOf(db, k.id).map((i) => ({ channelType: i.channel_type, channelName: pano.channels.get(i.channel_id)?.name ?? "", externalId: i.external_id, follows: i.follows })),
    conversations: history.map((h) => ({
      id: h.id, channelType: pano.channels.get(h.channel_id)?.type ?? "api", status: h.status, preview: h.last_preview, lastMessageAt: h.last_message_at, current: h.id === conv.id,
    })),
  };
}

/**
 * The conversation a panel request names (?c=), which the viewer must see, and whose contact must be
 * the one in the path; a profile merged away since the panel was drawn answers as its survivor.
 */
export function panelConversation(pano: Pano, c: Context<PageEnv>): ConversationRow {
  const conv = visibleTo(pano, c, c.req.query("c"));
  const id = c.req.param("id");
  if (String(conv.contact_id) === id) return conv;
  const k = id && /^\d+$/.test(id) ? getContact(pano.store.sqlite, Number(id)) : null;
  if (k?.merged_into !== conv.contact_id) throw new PanoError("not_found", "Contact not found");
  return conv;
}

export function contactPageRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  app.use("*", pageSession(pano));
  app.get("/:id/panel", (c) => {
    const conv = panelConversation(pano, c);
    const mode = { kind: "view" as const, focus: c.req.query("focus") === "1" };
    return c.html(joinHtml(ContactPanel({ ctx: c.get("view"), d: loadContactPanel(pano, c.get("viewer"), conv), mode })));
  });
  app.route("/", contactEditRoutes(pano));
  return app;
}
