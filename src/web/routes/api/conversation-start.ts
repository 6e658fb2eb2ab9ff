// POST /api/v1/conversations: start a conversation with a customer on a channel (interface.md,
// "Starting a conversation") -> 202 the conversation with its first message queued, or 422 naming
// why the channel cannot reach this customer now. GET /api/v1/conversations/reach?contact_id= says,
// for every channel, whether it can and what the first message is made of (what "New message" shows).
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import type { Channel } from "../../../channels/channel.ts";
import { PanoError } from "../../../domain/errors.ts";
import { grantRefusal } from "../../../domain/token-scope.ts";
import { contactVisibleTo, getContact } from "../../../store/contacts.ts";
import { getConversation } from "../../../store/conversations.ts";
import { getMessage, attachmentsFor } from "../../../store/messages.ts";
import { startConversation } from "../../../store/conversation-start.ts";
import { planStart, reachability, refuse } from "../../../pipeline/outreach.ts";
import { readJson } from "./input.ts";
import { presentConversation, presentMessage } from "./present.ts";

const id = z.union([z.string().regex(/^\d+$/, "must be an id"), z.number().int().positive()]).transform(Number);
const startSchema = z
  .object({
    contact_id: id,
    channel_id: id,
    text: z.string().max(100_000).optional(),
    subject: z.string().max(1000).optional(),
    template_id: z.union([z.string().min(1).max(100), z.number().int()]).transform(String).optional(),
    template_data: z.record(z.string().max(100), z.union([z.string().max(1000), z.number()]).transform(String)).optional(),
  })
  .strict();

/** The contact the caller may see (a merged one answers as its survivor), else 404. */
export function reachableContact(pano: Pano, c: Context<Env>, contactId: number) {
  const found = getContact(pano.store.sqlite, contactId);
  const contact = found?.merged_into ? getContact(pano.store.sqlite, found.merged_into) : found;
  if (!contact || !contactVisibleTo(pano.store.sqlite, contact.id, c.get("viewer"))) throw new PanoError("not_found", "Contact not found");
  return contact;
}

/** The channel, if it exists and the caller's token may use it. */
function usableChannel(pano: Pano, c: Context<Env>, channelId: number): Channel {
  const channel = pano.channels.get(channelId);
  if (!channel) throw new PanoError("validation_failed", "channel_id: no such channel", "channel_id");
  const token = c.get("token");
  const refusal = token ? grantRefusal(token.grant, c.get("user").role, { scope: "write", channelId, inbound: false }) : null;
  if (refusal) throw new PanoError("forbidden", refusal);
  return channel;
}

export function conversationStartRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const db = pano.store.sqlite;

  app.get("/reach", (c) => {
    const contactId = Number(c.req.query("contact_id") ?? "");
    if (!Number.isSafeInteger(contactId) || contactId <= 0) throw new PanoError("validation_failed", "contact_id: must be an id", "contact_id");
    const contact = reachableContact(pano, c, contactId);
    const lang = c.get("user").language === "en" ? "en" : "vi";
    const data = pano.channels.list().map((ch) => {
      const { verdict } = reachability(db, pano.runtime, ch, contact.id);
      return verdict.ok
        ? { channel_id: String(ch.id), channel_type: ch.type, name: ch.name, can_start: true, form: verdict.form }
        : { channel_id: String(ch.id), channel_type: ch.type, name: ch.name, can_start: false, code: verdict.code, reason: verdict.reason[lang] };
    });
    return c.json({ data });
  });

  app.post("/", async (c) => {
    const body = await readJson(c, startSchema);
    const contact = reachableContact(pano, c, body.contact_id);
    const channel = usableChannel(pano, c, body.channel_id);
    const user = c.get("user");
    const plan = planStart(db, pano.runtime, channel, contact.id, {
      text: body.text, subject: body.subject, templateId: body.template_id, templateData: body.template_data, authoredBy: "agent",
      agent: { id: user.id, email: user.email, phoneUserId: user.phone_user_id ?? null },
    }, { userId: user.id });
    const lang = user.language === "en" ? "en" : "vi";
    if (!plan.ok) return c.json({ error: { code: plan.code, message: plan.reason[lang] } }, 422);
    const started = await pano.writer.submit((tx) => startConversation(tx, { ...plan.input, viewer: c.get("viewer") }));
    if (!started) {
      const no = refuse("conversation_hidden");
      return c.json({ error: { code: no.code, message: no.reason[lang] } }, 422);
    }
    const conv = getConversation(db, started.conversationId)!;
    const m = getMessage(db, started.messageId)!;
    return c.json({ ...presentConversation(conv), message: presentMessage(m, attachmentsFor(db, [m.id]).get(m.id) ?? [], pano.config.publicUrl) }, 202);
  });

  return app;
}
