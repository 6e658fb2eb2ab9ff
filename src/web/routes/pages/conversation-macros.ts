// The inbox's macros: GET /conversations/:id/macros lists what this agent may run (the picker),
// POST /conversations/:id/macros/:mid runs one (macro-run.ts, the same as the API). The answer is
// nothing when it ran (the live stream brings the changes), or what to show in the picker: the
// question about missing variables, or why it may not run.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import { joinHtml, type PageEnv } from "../../view-context.ts";
import { PanoError } from "../../../domain/errors.ts";
import { Macros, actionsOf } from "../../../store/macros.ts";
import { teamNames } from "../../../store/teams.ts";
import { runMacro } from "../../macro-run.ts";
import { MacroList, MacroMissing, MacroRefused } from "../../../../views/conversation/macros.tsx";
import type { Names } from "../../../../views/macros/summary.ts";
import { visibleTo } from "./conversation-data.ts";

/** Agents' and teams' names for describing actions. */
export function macroNames(pano: Pano): Names {
  return { agents: new Map(pano.users.list().map((u) => [u.id, u.name])), teams: new Map(teamNames(pano.store.sqlite).map((t) => [t.id, t.name])) };
}

export function conversationMacroRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  const macros = new Macros(pano.store.sqlite, pano.writer);

  app.get("/:id/macros", (c) => {
    const conv = visibleTo(pano, c, c.req.param("id"));
    const items = macros.visibleTo(c.get("viewer")).map((m) => ({ id: m.id, name: m.name, actions: actionsOf(m) }));
    return c.html(joinHtml(MacroList({ ctx: c.get("view"), conversationId: conv.id, macros: items, names: macroNames(pano) })));
  });

  app.post("/:id/macros/:mid{[0-9]+}", async (c) => {
    const conv = visibleTo(pano, c, c.req.param("id"));
    const view = c.get("view");
    const m = macros.getVisible(c.get("viewer"), Number(c.req.param("mid")));
    if (!m) throw new PanoError("not_found", "Macro not found");
    const body = await c.req.parseBody();
    const user = c.get("user");
    const out = await runMacro(pano, m, conv, { viewer: c.get("viewer"), userId: user.id, name: user.name }, { allowMissing: body.confirm === "1" });
    if (out.kind === "missing") return c.html(joinHtml(MacroMissing({ ctx: view, conversationId: conv.id, macro: m, missing: out.names })));
    if (out.kind === "refused") return c.html(joinHtml(MacroRefused({ ctx: view, r: out.refusal })));
    if (!c.req.header("hx-request")) return c.redirect(`/inbox?c=${conv.id}`, 303);
    // Header values are Latin-1: the page says "ran X" in its own words from the picker (data-done).
    return c.body(null, 204, { "HX-Trigger": JSON.stringify({ "pano:changed": { id: conv.id }, "pano:macro-ran": { macro: m.id } }) });
  });

  return app;
}
