// POST /conversations/:id/typing: the inbox composer says, every few seconds while the agent
// types a reply, that they are typing; colleagues with the conversation open see it
// (agents-here.ts), and the conversation's channel kind shows it to the customer if it can
// (ChannelKind.typing: a website chat's widget). Nothing is stored; a kind without the hook
// (Zalo, email) ignores it.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import { channelKind, hasChannelKind } from "../../../channels/registry.ts";
import { conversationCustomer } from "../../../store/conversation-customer.ts";
import { visibleTo } from "./conversation-data.ts";
import { agentsHere } from "./conversation-presence.ts";

export function conversationTypingRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  app.post("/:id/typing", (c) => {
    const conv = visibleTo(pano, c, c.req.param("id"));
    // Colleagues with the conversation open see who is writing (collision warning).
    agentsHere(pano).typing(conv.id, { id: c.get("user").id, name: c.get("user").name });
    // Writing a reply is handle time (pipeline/work-time.ts).
    pano.workTime.typing(conv.id, c.get("user").id);
    const ch = pano.channels.get(conv.channel_id);
    const kind = ch && ch.status !== "paused" && hasChannelKind(ch.type) ? channelKind(ch.type) : null;
    const customer = kind?.typing ? conversationCustomer(pano.store.sqlite, conv.id) : null;
    if (ch && kind?.typing && customer) {
      try {
        kind.typing({ conversationId: conv.id, contactExternalId: customer.externalId, agentName: c.get("user").name || null }, ch, pano.runtime);
      } catch (err) {
        pano.log("warn", "typing signal failed", { conversation_id: conv.id, error: String(err) });
      }
    }
    return c.body(null, 204);
  });
  return app;
}
