// GET /live/call-card/<message id>: the incoming-call card for a call that still rings, for an
// agent who may take it (one who sees any of the caller's conversations); else nothing (204),
// so a card asked for just after the call was answered never shows.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import { canSee, scopeOf } from "../../../domain/conversation.ts";
import { contactConversationHolders } from "../../../store/conversations.ts";
import { ringingCall, openConversationsOf, channelTypesOf } from "../../../store/call-cards.ts";
import { CallCard } from "../../../../views/inbox/call-card.tsx";

const OPEN_SHOWN = 5;

export function callCardRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  app.get("/:mid{[0-9]+}", (c) => {
    const db = pano.store.sqlite;
    const viewer = c.get("viewer");
    const call = ringingCall(db, Number(c.req.param("mid")));
    const meta = call?.meta ? (JSON.parse(call.meta) as { kind?: string; call?: { status?: string; ended?: boolean; direction?: string } }) : null;
    if (!call || meta?.kind !== "call" || meta.call?.status !== "ringing" || meta.call.ended || meta.call.direction !== "in") return c.body(null, 204);
    if (!contactConversationHolders(db, call.contact_id).some((h) => canSee(viewer, h))) return c.body(null, 204);
    const open = openConversationsOf(db, call.contact_id, OPEN_SHOWN * 2).filter((o) => canSee(viewer, scopeOf(o)));
    // The owner of the latest open conversation besides the call's own is who the answer URL rings first.
    const owner = open.find((o) => o.id !== call.conversation_id && o.assignee_id !== null)?.assignee_id ?? null;
    // The card opens the call's own conversation when the viewer may see it (an agent of a team
    // may not see a new, unrouted phone conversation), else the caller's conversation they hold.
    const opens = open.find((o) => o.id === call.conversation_id)?.id ?? open[0]?.id ?? call.conversation_id;
    return c.html(CallCard({
      ctx: c.get("view"),
      card: {
        messageId: call.message_id, conversationId: opens, contactId: call.contact_id, name: call.name, phone: call.phone,
        channelTypes: channelTypesOf(db, call.contact_id), mine: owner === viewer.userId,
        open: open.slice(0, OPEN_SHOWN).map((o) => ({ id: o.id, channelType: o.channel_type, preview: o.last_preview, lastMessageAt: o.last_message_at, intent: o.intent })),
      },
    }));
  });
  return app;
}
