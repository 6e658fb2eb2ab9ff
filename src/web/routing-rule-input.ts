// What the REST API (/api/v1/routing-rules) and Settings › Routing both take and give for a
// routing rule: the input schemas, the rule as JSON, "try this message", and a body parsed the way
// the API parses one. Saving itself (with the checks a rule must pass) is RoutingRules in the store.
import { z } from "zod";
import type { Pano } from "../pano.ts";
import { PanoError } from "../domain/errors.ts";
import { INTENTS, PRIORITIES } from "../domain/conversation.ts";
import { channelTypes } from "../channels/registry.ts";
import { decide, type MessageFacts } from "../domain/routing.ts";
import { routingRulesFor, type StoredRule } from "../store/routing-rules.ts";
import { contactAttributes } from "../store/contacts.ts";
import { classify } from "../domain/triage/index.ts";
import { patchOf } from "./routes/api/input.ts";
import { iso, sid } from "./routes/api/present.ts";

const id = z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (24-hour)");
const conditionsSchema = z
  .object({
    channel_ids: z.array(id).max(100).optional(),
    channel_types: z.array(z.enum(channelTypes())).optional(),
    intents: z.array(z.enum(INTENTS)).optional(),
    categories: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
    urgent: z.boolean().optional(),
    keywords: z.array(z.string().trim().min(1).max(100)).max(200).optional(),
    regex: z.string().min(1).max(500).optional(),
    contact_attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    new_contact: z.boolean().optional(),
    business_hours: z
      .object({ when: z.enum(["inside", "outside"]), timezone: z.string().optional(), days: z.array(z.number().int().min(1).max(7)).optional(), open: hhmm.optional(), close: hhmm.optional() })
      .strict()
      .optional(),
    applies_to: z.enum(["first_message", "any_message"]).optional(),
    message_fields: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
  })
  .strict();
const actionsSchema = z
  .object({
    team_id: id.optional(),
    priority: z.enum(PRIORITIES).optional(),
    labels: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
    assignee_id: id.optional(),
    auto_reply: z.string().trim().min(1).max(2000).optional(),
    // An SMS or a ZNS template to the customer (an order confirmation), held by quiet hours unless "ignore".
    send_zns: z.object({ channel_id: id.optional(), template_id: z.union([z.string().min(1).max(100), z.number().int()]).transform(String), template_data: z.record(z.string().max(100), z.string().max(1000)).optional() }).strict().optional(),
    send_sms: z.object({ channel_id: id.optional(), text: z.string().trim().min(1).max(1000) }).strict().optional(),
    quiet_hours: z.union([z.enum(["respect", "ignore"]), z.object({ start: hhmm, end: hhmm, timezone: z.string().optional() }).strict()]).optional(),
    stop_processing: z.boolean().optional(),
  })
  .strict();
export const ruleSchema = z.object({
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  position: z.number().int().min(1).optional(),
  conditions: conditionsSchema.default({}),
  actions: actionsSchema,
});
export const patchSchema = patchOf(ruleSchema);
export const reorderSchema = z.object({ ids: z.array(id).min(1) });
export const trySchema = z.object({
  text: z.string().max(20_000),
  channel_id: id.optional(),
  channel_type: z.enum(channelTypes()).optional(),
  intent: z.enum(INTENTS).optional(),
  urgent: z.boolean().optional(),
  contact_id: id.optional(),
  contact_attributes: z.record(z.string(), z.unknown()).optional(),
  new_contact: z.boolean().default(false),
  first_message: z.boolean().default(true),
  at: z.iso.datetime({ offset: true }).optional(),
  /** Fields the message would carry (an integration's order_code), for message_fields and sends. */
  fields: z.record(z.string().max(50), z.string().max(500)).optional(),
});

export function presentRule(r: StoredRule) {
  const { team_id, assignee_id, ...actions } = r.actions;
  return {
    id: sid(r.id), name: r.name, position: r.position, enabled: r.enabled, conditions: r.conditions,
    actions: { ...actions, ...(team_id !== undefined ? { team_id: sid(team_id) } : {}), ...(assignee_id !== undefined ? { assignee_id: sid(assignee_id) } : {}) },
    created_at: iso(r.createdAt),
  };
}

export type TryBody = z.output<typeof trySchema>;

/** Input that did not come as a request body (a settings form), refused in the API's words: `validation_failed` naming the field. */
export function parseRuleInput<T>(schema: z.ZodType<T>, data: unknown): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.join(".") || "body";
  throw new PanoError("validation_failed", `${field}: ${issue.message}`, field);
}

/** Which rules would fire for this message, and why each did or did not (the API's JSON). */
export function tryRules(pano: Pano, body: TryBody) {
  const triage = classify(pano.triageModel.current, body.text);
  const channel = body.channel_id !== undefined ? pano.channels.get(body.channel_id) : undefined;
  if (body.channel_id !== undefined && !channel) throw new PanoError("validation_failed", "channel_id: no such channel", "channel_id");
  let attributes = body.contact_attributes ?? {};
  if (body.contact_id !== undefined) {
    const stored = contactAttributes(pano.store.sqlite, body.contact_id);
    if (!stored) throw new PanoError("validation_failed", "contact_id: no such contact", "contact_id");
    attributes = { ...stored, ...attributes };
  }
  const facts: MessageFacts = {
    text: body.text, channelId: body.channel_id ?? 0, channelType: channel?.type ?? body.channel_type ?? "api",
    intent: body.intent ?? triage.intent, urgent: body.urgent ?? triage.urgent, contactAttributes: attributes,
    categories: pano.categories.suggest(body.text).map((s) => s.tag),
    newContact: body.new_contact, firstMessage: body.first_message, at: body.at ? Date.parse(body.at) : Date.now(), fields: body.fields,
  };
  const { decision, verdicts } = decide(routingRulesFor(pano.store.sqlite, pano.writer).list(), facts);
  return {
    triage: { intent: triage.intent, urgent: triage.urgent, confidence: Math.round(triage.confidence * 1e4) / 1e4 },
    facts: { intent: facts.intent, categories: facts.categories, urgent: facts.urgent, channel_type: facts.channelType, first_message: facts.firstMessage, new_contact: facts.newContact, at: iso(facts.at) },
    fired: decision.fired.map(String),
    decision: {
      team_id: sid(decision.teamId), priority: decision.priority ?? null, labels: decision.labels,
      assignee_id: sid(decision.assigneeId), auto_reply: decision.autoReply ?? null,
      // What would be sent (a ZNS, an SMS), by which rule, and the quiet hours that would hold it (null: at once).
      sends: (decision.sends ?? []).map((x) => ({ kind: x.kind, rule_id: String(x.ruleId), ...x.send, quiet_hours: x.quiet })),
      set_by: Object.fromEntries(Object.entries(decision.setBy).map(([k, v]) => [snake(k), String(v)])),
    },
    rules: verdicts.map((v) => ({ ...v, rule_id: String(v.rule_id) })),
  };
}

const snake = (k: string) => k.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
