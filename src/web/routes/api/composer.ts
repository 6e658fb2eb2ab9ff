// GET /api/v1/conversations/:id/composer: whether a reply can go out on this conversation's
// channel right now, and why not, before the agent types (Messenger's 24 h / 7 day window,
// a Zalo user who unfollowed). Channels without rules answer can_send: true.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { channelReplyRules } from "../../reply.ts";
import { idParam } from "./input.ts";
import { visibleConversation } from "./conversations.ts";

export function composerRoutes(pano: Pano) {
  const app = new Hono<Env>();
  app.get("/:id/composer", (c) => {
    const conv = visibleConversation(pano, c, idParam(c));
    const channel = pano.channels.get(conv.channel_id);
    const v = channel ? channelReplyRules(pano, conv, channel) : null;
    if (!channel || !v) return c.json({ can_send: !!channel, code: channel ? null : "channel_removed", reason: null, limit: null });
    return c.json({ can_send: v.canSend, code: v.code ?? null, reason: v.reason ?? null, limit: v.limit ?? null });
  });
  return app;
}
