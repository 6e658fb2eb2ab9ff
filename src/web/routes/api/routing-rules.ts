// /api/v1/routing-rules: the ordered rules that send a conversation to a team, set its priority
// and labels, assign it or answer automatically; and /try, which says which rule would fire for
// a message and why. A rule that would fail at message time (a bad regex) is refused here.
import { Hono } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import { requireRole, type Env } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { INTENTS, PRIORITIES } from "../../../domain/conversation.ts";
import { CHANNEL_TYPES } from "../../../domain/message.ts";
import { decide, ruleProblem, type MessageFacts, type RuleActions, type RuleConditions } from "../../../domain/routing.ts";
import { routingRulesFor, type StoredRule } from "../../../store/routing-rules.ts";
import { classify } from "../../../domain/triage/index.ts";
import { readJson, idParam, pageInOrder, patchOf } from "./input.ts";
import { iso, sid } from "./present.ts";

const id = z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (24-hour)");
const conditionsSchema = z
  .object({
    channel_ids: z.array(id).max(100).optional(),
    channel_types: z.array(z.enum(CHANNEL_TYPES)).optional(),
    intents: z.array(z.enum(INTENTS)).optional(),
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
  })
  .strict();
const actionsSchema = z
  .object({
    team_id: id.optional(),
    priority: z.enum(PRIORITIES).optional(),
    labels: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
    assignee_id: id.optional(),
    auto_reply: z.string().trim().min(1).max(2000).optional(),
    stop_processing: z.boolean().optional(),
  })
  .strict();
const ruleSchema = z.object({
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  position: z.number().int().min(1).optional(),
  conditions: conditionsSchema.default({}),
  actions: actionsSchema,
});
const patchSchema = patchOf(ruleSchema);
const reorderSchema = z.object({ ids: z.array(id).min(1) });
const trySchema = z.object({
  text: z.string().max(20_000),
  channel_id: id.optional(),
  channel_type: z.enum(CHANNEL_TYPES).optional(),
  intent: z.enum(INTENTS).optional(),
  urgent: z.boolean().optional(),
  contact_id: id.optional(),
  contact_attributes: z.record(z.string(), z.unknown()).optional(),
  new_contact: z.boolean().default(false),
  first_message: z.boolean().default(true),
  at: z.iso.datetime({ offset: true }).optional(),
});

export function presentRule(r: StoredRule) {
  const { team_id, assignee_id, ...actions } = r.actions;
  return {
    id: sid(r.id), name: r.name, position: r.position, enabled: r.enabled, conditions: r.conditions,
    actions: { ...actions, ...(team_id !== undefined ? { team_id: sid(team_id) } : {}), ...(assignee_id !== undefined ? { assignee_id: sid(assignee_id) } : {}) },
    created_at: iso(r.createdAt),
  };
}

export function routingRuleRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const db = pano.store.sqlite;
  const rules = routingRulesFor(db, pano.writer);
  const admin = requireRole("admin");

  /** Everything that would break at message time is refused at save time, naming the field. */
  const check = (conditions: RuleConditions | undefined, actions: RuleActions | undefined) => {
    const problem = conditions && ruleProblem(conditions);
    if (problem) throw new PanoError("validation_failed", `${problem.field}: ${problem.en} (${problem.vi})`, problem.field);
    if (actions?.team_id !== undefined && !db.query("SELECT 1 FROM teams WHERE id = ?").get(actions.team_id))
      throw new PanoError("validation_failed", "actions.team_id: no such team", "actions.team_id");
    if (actions?.assignee_id !== undefined && !pano.users.byId(actions.assignee_id))
      throw new PanoError("validation_failed", "actions.assignee_id: no such user", "actions.assignee_id");
    if (actions && !Object.keys(actions).some((k) => k !== "stop_processing"))
      throw new PanoError("validation_failed", "actions: a rule must do something (team_id, priority, labels, assignee_id or auto_reply)", "actions");
  };
  const found = (ruleId: number) => rules.get(ruleId) ?? notFound();

  // Rules are few, and their order is their meaning: paged by position like canned replies.
  app.get("/", (c) => c.json(pageInOrder(c, rules.list().map(presentRule))));
  app.get("/:id{[0-9]+}", (c) => c.json(presentRule(found(idParam(c)))));

  app.post("/", admin, async (c) => {
    const body = await readJson(c, ruleSchema);
    check(body.conditions, body.actions);
    const rule = await rules.create({ name: body.name, enabled: body.enabled, conditions: body.conditions, actions: body.actions }, body.position, c.get("user").id);
    return c.json(presentRule(rule), 201);
  });

  app.patch("/:id{[0-9]+}", admin, async (c) => {
    const ruleId = idParam(c);
    found(ruleId);
    const body = await readJson(c, patchSchema);
    check(body.conditions, body.actions);
    const rule = await rules.update(ruleId, body, body.position, c.get("user").id);
    return c.json(presentRule(rule ?? notFound()));
  });

  app.delete("/:id{[0-9]+}", admin, async (c) => {
    if (!(await rules.remove(idParam(c), c.get("user").id))) notFound();
    return c.body(null, 204);
  });

  app.post("/reorder", admin, async (c) => {
    const body = await readJson(c, reorderSchema);
    if (!(await rules.reorder(body.ids, c.get("user").id))) throw new PanoError("validation_failed", "ids: must list every rule exactly once", "ids");
    return c.json({ data: rules.list().map(presentRule), next_cursor: null });
  });

  app.post("/try", async (c) => {
    const body = await readJson(c, trySchema);
    const triage = classify(body.text);
    const channel = body.channel_id !== undefined ? pano.channels.get(body.channel_id) : undefined;
    if (body.channel_id !== undefined && !channel) throw new PanoError("validation_failed", "channel_id: no such channel", "channel_id");
    let attributes = body.contact_attributes ?? {};
    if (body.contact_id !== undefined) {
      const row = db.query<{ attributes: string }, [number]>("SELECT attributes FROM contacts WHERE id = ?").get(body.contact_id);
      if (!row) throw new PanoError("validation_failed", "contact_id: no such contact", "contact_id");
      attributes = { ...JSON.parse(row.attributes), ...attributes };
    }
    const facts: MessageFacts = {
      text: body.text, channelId: body.channel_id ?? 0, channelType: channel?.type ?? body.channel_type ?? "api",
      intent: body.intent ?? triage.intent, urgent: body.urgent ?? triage.urgent, contactAttributes: attributes,
      newContact: body.new_contact, firstMessage: body.first_message, at: body.at ? Date.parse(body.at) : Date.now(),
    };
    const { decision, verdicts } = decide(rules.list(), facts);
    return c.json({
      triage: { intent: triage.intent, urgent: triage.urgent, confidence: Math.round(triage.confidence * 1e4) / 1e4 },
      facts: { intent: facts.intent, urgent: facts.urgent, channel_type: facts.channelType, first_message: facts.firstMessage, new_contact: facts.newContact, at: iso(facts.at) },
      fired: decision.fired.map(String),
      decision: {
        team_id: sid(decision.teamId), priority: decision.priority ?? null, labels: decision.labels,
        assignee_id: sid(decision.assigneeId), auto_reply: decision.autoReply ?? null,
        set_by: Object.fromEntries(Object.entries(decision.setBy).map(([k, v]) => [snake(k), String(v)])),
      },
      rules: verdicts.map((v) => ({ ...v, rule_id: String(v.rule_id) })),
    });
  });

  return app;
}

const snake = (k: string) => k.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
function notFound(): never {
  throw new PanoError("not_found", "Routing rule not found");
}
