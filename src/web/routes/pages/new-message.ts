// "New message" on a customer's profile: GET /contacts/:id/new-message?c=<conversation>|in=profile[&channel=][&template=]
// shows each channel's verdict before typing and the chosen channel's form (a template's params
// prefilled from the profile and the conversation); POST sends through the same path as the API
// (pipeline/outreach.ts) and lands the agent in the conversation. The composer of a conversation
// whose channel cannot take text now opens the same panel on that channel's templates.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import type { Channel, MessageTemplate } from "../../../channels/channel.ts";
import { joinHtml, type PageEnv } from "../../view-context.ts";
import { channelKind, hasChannelKind } from "../../../channels/registry.ts";
import { contactVisibleTo, getContact } from "../../../store/contacts.ts";
import { PanoError } from "../../../domain/errors.ts";
import { conversationFacts, lastTemplateQuota, parsedAttributes, startConversation } from "../../../store/conversation-start.ts";
import { planStart, reachability, refuse } from "../../../pipeline/outreach.ts";
import { contactFacts, prefillParams } from "../../../domain/template-params.ts";
import { panelConversation } from "./contact-panel.ts";
import { NewMessagePanel, type NewMessageData, type TemplateView } from "../../../../views/contact/new-message.tsx";

const view = (t: MessageTemplate): TemplateView => ({
  id: t.id, name: t.name, usable: t.usable, status: t.status, preview: t.preview, previewUrl: t.previewUrl ?? null, price: t.price ?? null,
  params: t.params.map((p) => ({ name: p.name, type: p.type, required: p.required, maxLength: p.maxLength })),
});

export function newMessageRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;

  /**
   * Whose panel this is: beside a conversation (?c=, which grants access) in the inbox, or on the
   * customer's profile page (?in=profile), for a customer the viewer may see.
   */
  function placeOf(c: Context<PageEnv>): { contactId: number; conversationId: number | null } {
    if (c.req.query("c") !== undefined || c.req.query("in") !== "profile") {
      const conv = panelConversation(pano, c);
      return { contactId: conv.contact_id, conversationId: conv.id };
    }
    const found = getContact(db, Number(c.req.param("id")));
    const contact = found?.merged_into ? getContact(db, found.merged_into) : found;
    if (!contact || !contactVisibleTo(db, contact.id, c.get("viewer"))) throw new PanoError("not_found", "Contact not found");
    return { contactId: contact.id, conversationId: null };
  }

  /** What the panel shows for this customer, with `chosenId` and `templateId` picked and `values` typed. */
  function panelData(c: Context<PageEnv>, chosenId: number | null, templateId: string | null, values: Record<string, string>, error: string | null): NewMessageData {
    const place = placeOf(c);
    const { lang, t } = c.get("view");
    const contact = getContact(db, place.contactId)!;
    const channels = pano.channels.list().map((ch) => {
      const { verdict } = reachability(db, pano.runtime, ch, contact.id);
      return verdict.ok ? { id: ch.id, type: ch.type, name: ch.name, ok: true, form: verdict.form } : { id: ch.id, type: ch.type, name: ch.name, ok: false, reason: verdict.reason[lang] };
    });
    // Channels that can reach the customer first, each group in the channel list's order.
    channels.sort((a, b) => Number(b.ok) - Number(a.ok));
    const picked = channels.find((ch) => ch.ok && ch.id === chosenId);
    const channel = picked ? pano.channels.get(picked.id)! : null;
    const templates = channel && picked?.form === "template" ? templatesOf(channel) : [];
    const template = templates.find((x) => x.id === templateId) ?? null;
    let filled = values;
    if (template && !Object.keys(values).some((k) => k.startsWith("p."))) {
      const facts = { ...contactFacts({ name: contact.name, phone: contact.phone, email: contact.email, attributes: parsedAttributes(contact.attributes) }), ...(place.conversationId ? conversationFacts(db, place.conversationId) : {}) };
      const data = prefillParams(template.params, facts);
      filled = { ...values, ...Object.fromEntries(Object.entries(data).map(([k, v]) => [`p.${k}`, v])) };
    }
    return {
      contactId: contact.id, conversationId: place.conversationId, name: contact.name || t("inbox.unknown_contact"), channels,
      chosen: picked ? { id: picked.id, form: picked.form! } : null,
      templates: templates.map(view), template: template ? view(template) : null, values: filled,
      quota: channel ? lastTemplateQuota(db, channel.id) : null, error,
    };
  }

  const templatesOf = (channel: Channel): MessageTemplate[] =>
    hasChannelKind(channel.type) ? (channelKind(channel.type).outreach?.templates?.(channel, pano.runtime) ?? []) : [];

  const render = (c: Context<PageEnv>, d: NewMessageData) => c.html(joinHtml(NewMessagePanel({ ctx: c.get("view"), d })));
  const optionalId = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : null);

  app.get("/:id{[0-9]+}/new-message", (c) => render(c, panelData(c, optionalId(c.req.query("channel")), c.req.query("template") || null, {}, null)));

  app.post("/:id{[0-9]+}/new-message", async (c) => {
    const place = placeOf(c);
    const form = await c.req.parseBody();
    const values = Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === "string").map(([k, v]) => [k, String(v)]));
    const channelId = optionalId(values.channel_id);
    const channel = channelId === null ? undefined : pano.channels.get(channelId);
    const templateId = values.template_id || null;
    const { lang } = c.get("view");
    if (!channel) return render(c, panelData(c, null, null, values, null));
    const user = c.get("user");
    const templateData = Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith("p.")).map(([k, v]) => [k.slice(2), v.trim()]));
    const plan = planStart(db, pano.runtime, channel, place.contactId, {
      text: values.text, subject: values.subject, templateId: templateId ?? undefined, templateData: templateId ? templateData : undefined,
      authoredBy: "agent", agent: { id: user.id, email: user.email, phoneUserId: user.phone_user_id ?? null },
    }, { userId: user.id });
    if (!plan.ok) return render(c, panelData(c, channel.id, templateId, values, plan.reason[lang]));
    const started = await pano.writer.submit((tx) => startConversation(tx, { ...plan.input, viewer: c.get("viewer") }));
    if (!started) return render(c, panelData(c, channel.id, templateId, values, refuse("conversation_hidden").reason[lang]));
    // The agent lands in the conversation the message went to (a new one, or the customer's open one
    // there), opened in place so the page's live stream keeps telling its status; a plain form post reloads.
    const inbox = `/inbox?c=${started.conversationId}&status=all`;
    if (!c.req.header("hx-request")) return c.redirect(inbox, 303);
    // From the profile page there is no inbox to open it in: go there.
    if (place.conversationId === null) return c.body(null, 200, { "HX-Redirect": inbox });
    return c.body(null, 200, { "HX-Location": JSON.stringify({ path: `/conversations/${started.conversationId}`, target: "#conversation", push: inbox }) });
  });

  return app;
}

/** The profile panel's template form for a conversation's channel, when text cannot go but a template can. */
export function templateOffer(pano: Pano, conv: { id: number; contact_id: number }, channel: Channel): string | null {
  const { verdict } = reachability(pano.store.sqlite, pano.runtime, channel, conv.contact_id);
  return verdict.ok && verdict.form === "template" ? `/contacts/${conv.contact_id}/new-message?c=${conv.id}&channel=${channel.id}` : null;
}
