// /api/v1/routing-rules: the ordered rules that send a conversation to a team, set its priority
// and labels, assign it or answer automatically; and /try, which says which rule would fire for
// a message and why. A rule that would fail at message time (a bad regex) is refused when saved
// (store/routing-rules.ts); the input shapes and "try" are shared with Settings › Routing (web/routing-rule-input.ts).
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import { requireRole, type Env } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { routingRulesFor } from "../../../store/routing-rules.ts";
import { patchSchema, presentRule, reorderSchema, ruleSchema, trySchema, tryRules } from "../../routing-rule-input.ts";
import { readJson, idParam, pageInOrder } from "./input.ts";

export function routingRuleRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const db = pano.store.sqlite;
  const rules = routingRulesFor(db, pano.writer);
  const admin = requireRole("admin");

  const found = (ruleId: number) => rules.get(ruleId) ?? notFound();

  // Rules are few, and their order is their meaning: paged by position like canned replies.
  app.get("/", (c) => c.json(pageInOrder(c, rules.list().map(presentRule))));
  app.get("/:id{[0-9]+}", (c) => c.json(presentRule(found(idParam(c)))));

  app.post("/", admin, async (c) => {
    const body = await readJson(c, ruleSchema);
    const rule = await rules.create({ name: body.name, enabled: body.enabled, conditions: body.conditions, actions: body.actions }, body.position, c.get("user").id);
    return c.json(presentRule(rule), 201);
  });

  app.patch("/:id{[0-9]+}", admin, async (c) => {
    const ruleId = idParam(c);
    found(ruleId);
    const body = await readJson(c, patchSchema);
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
    return c.json(tryRules(pano, await readJson(c, trySchema)));
  });

  return app;
}

function notFound(): never {
  throw new PanoError("not_found", "Routing rule not found");
}
