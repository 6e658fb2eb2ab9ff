// /api/v1/macros: the macros the caller may see (GET), their own personal ones and, for admins
// and supervisors, shared ones (POST, PATCH, DELETE), and POST /api/v1/macros/:id/run on a
// conversation: the same checks and store calls as the inbox's picker (macro-run.ts).
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import type { MacroAction } from "../../../domain/macro.ts";
import { Macros, actionsOf, macroInputSchema, visibilityOf, type MacroRow, type Saver } from "../../../store/macros.ts";
import { runMacro } from "../../macro-run.ts";
import { idParam, readJson, pageInOrder, patchOf } from "./input.ts";
import { iso, presentConversation, sid } from "./present.ts";
import { visibleConversation } from "./conversations.ts";

/** Ids as strings like everywhere in the API ("me" stays "me"). */
const presentAction = (a: MacroAction) =>
  a.type === "assign" ? { ...a, assignee_id: a.assignee_id === "me" ? "me" : sid(a.assignee_id) } : a.type === "team" ? { ...a, team_id: sid(a.team_id) } : a;

export const presentMacro = (m: MacroRow) => ({
  id: sid(m.id), name: m.name, visibility: visibilityOf(m), team_id: sid(m.team_id), owner_id: sid(m.owner_id),
  actions: actionsOf(m).map(presentAction), created_at: iso(m.created_at), updated_at: iso(m.updated_at),
});

const patchSchema = patchOf(macroInputSchema);
const runSchema = z.object({
  conversation_id: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number),
  /** Send the reply without the variables this conversation has no value for, instead of 422 missing_variables. */
  allow_missing: z.boolean().optional().default(false),
});

export function macroRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const macros = new Macros(pano.store.sqlite, pano.writer);
  const saver = (c: Context<Env>): Saver => ({ viewer: c.get("viewer"), via: "api" });
  const found = (c: Context<Env>) => {
    const m = macros.getVisible(c.get("viewer"), idParam(c));
    if (!m) throw new PanoError("not_found", "Macro not found");
    return m;
  };

  app.get("/", (c) => {
    const page = pageInOrder(c, macros.visibleTo(c.get("viewer")));
    return c.json({ data: page.data.map(presentMacro), next_cursor: page.next_cursor });
  });

  app.get("/:id", (c) => c.json(presentMacro(found(c))));

  app.post("/", async (c) => {
    const body = await readJson(c, macroInputSchema);
    return c.json(presentMacro(await macros.save(null, body, saver(c))), 201);
  });

  app.patch("/:id", async (c) => {
    const cur = macros.manageable(c.get("viewer"), idParam(c));
    const body = await readJson(c, patchSchema);
    const input = macroInputSchema.parse({
      name: body.name ?? cur.name,
      visibility: body.visibility ?? visibilityOf(cur),
      team_id: body.team_id === undefined ? cur.team_id : body.team_id,
      actions: body.actions ?? actionsOf(cur),
    });
    return c.json(presentMacro(await macros.save(cur.id, input, saver(c))));
  });

  app.delete("/:id", async (c) => {
    await macros.remove(macros.manageable(c.get("viewer"), idParam(c)), saver(c));
    return c.body(null, 204);
  });

  app.post("/:id/run", async (c) => {
    const m = found(c);
    const body = await readJson(c, runSchema);
    const conv = visibleConversation(pano, c, body.conversation_id);
    const user = c.get("user");
    const out = await runMacro(pano, m, conv, { viewer: c.get("viewer"), userId: user.id, name: user.name }, { allowMissing: body.allow_missing });
    if (out.kind === "refused") throw new PanoError(out.refusal.code, out.refusal.message);
    if (out.kind === "missing") {
      return c.json({ error: { code: "missing_variables", message: `The reply needs ${out.names.map((n) => `{{${n}}}`).join(", ")}, which this conversation has no value for; send allow_missing: true to leave them out`, variables: out.names } }, 422);
    }
    return c.json({ conversation: presentConversation(out.conversation), message_ids: out.messageIds.map(String) });
  });

  return app;
}
