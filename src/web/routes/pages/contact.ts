// The contact panel beside an open conversation (also GET /contacts/:id/panel?c=<conversation>).
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import { joinHtml, pageSession, type PageEnv } from "../../view-context.ts";
import { canSee, type Viewer } from "../../../domain/conversation.ts";
import type { ConversationRow } from "../../../store/conversations.ts";
import { getContact, identitiesOf } from "../../../store/contacts.ts";
import { PanoError } from "../../../domain/errors.ts";
import { ContactPanel, type ContactPanelData } from "../../../../views/contact/panel.tsx";
import { visibleTo } from "./conversation-data.ts";

const HISTORY_LIMIT = 20;

export function loadContactPanel(pano: Pano, viewer: Viewer, conv: ConversationRow): ContactPanelData {
  const db = pano.store.sqlite;
  const k = getContact(db, conv.contact_id);
  if (!k) throw new PanoError("not_found", "Contact not found");
  const attrs = Object.entries(JSON.parse(k.attributes) as Record<string, unknown>)
    .map(([key, v]): [string, string] => [key, typeof v === "string" ? v : JSON.stringify(v)]);
  const history = db
    .query<{ id: number; channel_id: number; status: string; last_preview: string; last_message_at: number; assignee_id: number | null; team_id: number | null }, [number, number]>(
      "SELECT id, channel_id, status, last_preview, last_message_at, assignee_id, team_id FROM conversations WHERE contact_id = ? ORDER BY last_message_at DESC LIMIT ?",
    )
    .all(k.id, HISTORY_LIMIT * 2)
    .filter((h) => canSee(viewer, { assigneeId: h.assignee_id, teamId: h.team_id }))
    .slice(0, HISTORY_LIMIT);
  return {
    id: k.id, name: k.name, avatarUrl: k.avatar_url, phone: k.phone, email: k.email, attributes: attrs,
    identities: identitiesOf(db, k.id).map((i) => ({ channelType: i.channel_type, channelName: pano.channels.get(i.channel_id)?.name ?? "", externalId: i.external_id, follows: i.follows })),
    conversations: history.map((h) => ({
      id: h.id, channelType: pano.channels.get(h.channel_id)?.type ?? "api", status: h.status, preview: h.last_preview, lastMessageAt: h.last_message_at, current: h.id === conv.id,
    })),
  };
}

export function contactPageRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  app.use("*", pageSession(pano));
  app.get("/:id/panel", (c) => {
    const conv = visibleTo(pano, c, c.req.query("c"));
    if (String(conv.contact_id) !== c.req.param("id")) throw new PanoError("not_found", "Contact not found");
    return c.html(joinHtml(ContactPanel({ ctx: c.get("view"), d: loadContactPanel(pano, c.get("viewer"), conv) })));
  });
  return app;
}
