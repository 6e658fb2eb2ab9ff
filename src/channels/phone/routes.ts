// The switchboard's own callback: GET /webhooks/phone/<webhook_token>/answer, Stringee's answer URL.
// It reads only what is already in memory and the database (no outside call), so it answers well
// within Stringee's wait even while chat ingest is busy.
import { Hono } from "hono";
import type { ChannelHttp, Channel } from "../channel.ts";
import type { PhoneConfig } from "./config.ts";
import { answerScco } from "./answer.ts";

export function switchboardRoutes(http: ChannelHttp) {
  const app = new Hono();
  app.get("/:token/answer", (c) => {
    const ch = http.channelByKey("phone", c.req.param("token")) as Channel<PhoneConfig> | undefined;
    if (!ch || ch.status === "paused") return c.json({ error: { code: "not_found", message: "No phone channel has this answer address" } }, 404);
    const caller = c.req.query("from") ?? "";
    const agents = caller ? http.agentsForPhone(caller) : { owner: null, team: [] };
    http.log("info", "phone: incoming call routed", { channel_id: ch.id, sticky: !!agents.owner, team: agents.team.length });
    return c.json(answerScco(caller, ch.config, agents));
  });
  return app;
}
