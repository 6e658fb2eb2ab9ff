// Click-to-call, one operation for two doors: POST /api/v1/contacts/:id/calls {"channel_id"?} -> 202
// (JSON), and the inbox's button, POST /contacts/:id/calls (session, CSRF) -> a status line. Every
// refusal carries a code and the reason in the caller's language, so the agent reads why.
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { ChannelHttp, Channel } from "../channel.ts";
import type { PhoneConfig } from "./config.ts";
import { callout } from "./callout.ts";
import { agentUser } from "./answer.ts";
import { phoneTexts } from "./texts.ts";
import { speaker } from "../texts.ts";

const say = speaker(phoneTexts);

const bodySchema = z.object({ channel_id: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).optional() }).strict();

type Placed =
  | { ok: true; status: 202; body: { status: "calling"; channel_id: string; contact_id: string; call_id: string | null; message: string } }
  | { ok: false; status: 404 | 409 | 422 | 502; body: { error: { code: string; message: string } } };

async function placeCall(http: ChannelHttp, c: Context, input: unknown): Promise<Placed> {
  const line = say.in(http.language(c));
  const refuse = (status: 404 | 409 | 422 | 502, code: string, message: string): Placed => ({ ok: false, status, body: { error: { code, message } } });
  const parsed = bodySchema.safeParse(input);
  if (!parsed.success) return refuse(422, "invalid_body", parsed.error.issues[0]?.message ?? "invalid body");
  const contact = http.visibleContact(c, Number(c.req.param("id")));
  if (!contact) return refuse(404, "not_found", line("callout.no_contact"));
  const wanted = parsed.data.channel_id === undefined ? null : Number(parsed.data.channel_id);
  const channel = phoneChannels(http).find((ch) => wanted === null || ch.id === wanted);
  if (!channel) return refuse(409, "no_phone_channel", line("callout.no_channel"));
  if (!contact.phone) return refuse(422, "no_phone", line("callout.no_phone"));
  const r = await callout(channel, agentUser(http.caller(c)), contact.phone, http.runtime);
  if (!r.ok) {
    http.log("warn", "phone: callout refused", { channel_id: channel.id, code: r.code, reason: r.reason });
    return refuse(502, r.code === "refused" ? "callout_refused" : "callout_unreachable", line(r.code === "refused" ? "callout.refused" : "callout.unreachable", { reason: r.reason }));
  }
  return { ok: true, status: 202, body: { status: "calling", channel_id: String(channel.id), contact_id: String(contact.id), call_id: r.callId, message: line("callout.started") } };
}

export function clickToCallRoutes(http: ChannelHttp) {
  const app = new Hono();
  app.post("/:id/calls", http.requireRole("admin", "supervisor", "agent"), async (c) => {
    const r = await placeCall(http, c, await c.req.json().catch(() => ({})));
    return c.json(r.body, r.status);
  });
  return app;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The inbox's "Gọi điện" button (htmx): the same operation, answered as a line the agent reads. */
export function clickToCallPageRoutes(http: ChannelHttp) {
  const app = new Hono();
  app.post("/:id/calls", http.signedIn("admin", "supervisor", "agent"), async (c) => {
    const r = await placeCall(http, c, {});
    const line = r.ok ? r.body.message : r.body.error.message;
    // 200 either way: htmx swaps only successful answers, and a refusal is something to read.
    return c.html(`<p class="call-dial-result ${r.ok ? "calling" : "refused"}" role="status" data-code="${r.ok ? "calling" : escape(r.body.error.code)}">${escape(line)}</p>`);
  });
  return app;
}

/** Only Stringee is dialled from Pano (its callout); another PBX's calls are made on its own phones. */
export const placesCalls = (ch: Channel<PhoneConfig>) => ch.status === "active" && ch.config.provider === "stringee";

/** The channels that place calls, in id order: the first places a call when none is named. */
function phoneChannels(http: ChannelHttp): Channel<PhoneConfig>[] {
  return (http.channelsOfType("phone") as Channel<PhoneConfig>[]).filter(placesCalls);
}
