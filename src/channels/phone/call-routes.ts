// POST /api/v1/contacts/:id/calls {"channel_id"?} -> 202: click-to-call through a Stringee channel.
// Every refusal carries a code and the reason in the caller's language, so the agent reads why.
import { Hono } from "hono";
import { z } from "zod";
import type { ChannelHttp, Channel } from "../channel.ts";
import type { PhoneConfig } from "./config.ts";
import { callout } from "./callout.ts";
import { agentUser } from "./answer.ts";
import { phoneTexts } from "./texts.ts";

const bodySchema = z.object({ channel_id: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).optional() }).strict();

export function clickToCallRoutes(http: ChannelHttp) {
  const app = new Hono();
  app.post("/:id/calls", http.requireRole("admin", "supervisor", "agent"), async (c) => {
    const lang = http.language(c);
    const say = (key: keyof typeof phoneTexts.vi.messages, vars: Record<string, string> = {}) =>
      phoneTexts[lang].messages[key].replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? "");
    const refuse = (status: 404 | 409 | 422 | 502, code: string, message: string) => c.json({ error: { code, message } }, status);
    const parsed = bodySchema.safeParse(await c.req.json().catch(() => ({})));
    if (!parsed.success) return refuse(422, "invalid_body", parsed.error.issues[0]?.message ?? "invalid body");
    const contact = http.visibleContact(c, Number(c.req.param("id")));
    if (!contact) return refuse(404, "not_found", "Contact not found");
    const wanted = parsed.data.channel_id === undefined ? null : Number(parsed.data.channel_id);
    const channel = phoneChannels(http).find((ch) => wanted === null || ch.id === wanted);
    if (!channel) return refuse(409, "no_phone_channel", say("callout.no_channel"));
    if (!contact.phone) return refuse(422, "no_phone", say("callout.no_phone"));
    const r = await callout(channel, agentUser(http.caller(c)), contact.phone, http.runtime);
    if (!r.ok) {
      http.log("warn", "phone: callout refused", { channel_id: channel.id, code: r.code, reason: r.reason });
      return refuse(502, r.code === "refused" ? "callout_refused" : "callout_unreachable", say(r.code === "refused" ? "callout.refused" : "callout.unreachable", { reason: r.reason }));
    }
    return c.json({ status: "calling", channel_id: String(channel.id), contact_id: String(contact.id), call_id: r.callId, message: say("callout.started") }, 202);
  });
  return app;
}

/** Active Stringee channels, in id order: the first places a call when none is named. */
function phoneChannels(http: ChannelHttp): Channel<PhoneConfig>[] {
  return http.channelsOfType("phone").filter((ch): ch is Channel<PhoneConfig> => ch.status === "active" && (ch.config as PhoneConfig).provider === "stringee");
}
