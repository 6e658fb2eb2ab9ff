// Settings › Macros: every signed-in person lists the macros they may run and keeps their own;
// admins and supervisors also share macros with everyone or a team. Saving goes through the
// store's Macros.save, the same rules as POST /api/v1/macros.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import type { Translate } from "../../../../views/i18n/index.ts";
import { macroManageable } from "../../../domain/macro.ts";
import { Macros, MacroInvalid, actionsOf, macroInputSchema, visibilityOf, type MacroRow, type Saver } from "../../../store/macros.ts";
import { teamNames } from "../../../store/teams.ts";
import { MacroEditPage, MacrosPage, type MacroChoices, type MacroForm } from "../../../../views/settings/macros.tsx";
import { issuesByField, readForm } from "./settings-form.ts";
import { redirectWithNotice, noticeFrom } from "./settings-notice.ts";
import { formFromMacro, inputFromForm } from "./macro-form.ts";
import { macroNames } from "./conversation-macros.ts";

/** Where on the form a problem of the saved input belongs: actions.<i>.* is the field of that action's type. */
function fieldOf(path: string, raw: { actions: { type: string }[] }): string {
  const m = /^actions\.(\d+)/.exec(path);
  if (m) return raw.actions[Number(m[1])]?.type ?? "_form";
  return path === "team_id" ? "visibility" : path;
}

function problemText(t: Translate, e: MacroInvalid): string {
  switch (e.problem) {
    case "unknown_variable": return t("variables.unknown", { names: e.names.join(", ") });
    case "team_not_visible": return t("macro.err.team_not_visible");
    case "shared_by_agent": return t("macros.shared_forbidden");
    default: return t("settings.err.choice");
  }
}

export function macroSettings(pano: Pano) {
  const app = new Hono<PageEnv>();
  const macros = new Macros(pano.store.sqlite, pano.writer);
  const saver = (c: Context<PageEnv>): Saver => ({ viewer: c.get("viewer"), via: "user" });

  const choices = (c: Context<PageEnv>): MacroChoices => {
    const viewer = c.get("viewer");
    const teams = teamNames(pano.store.sqlite);
    return {
      share: viewer.role !== "agent", teams,
      moveTeams: viewer.role === "agent" ? teams.filter((x) => viewer.teamIds.includes(x.id)) : teams,
      agents: pano.users.list().map((u) => ({ id: u.id, name: u.name })),
    };
  };
  const listPage = (c: Context<PageEnv>, form: MacroForm, status: 200 | 403 | 422 = 200) => {
    const viewer = c.get("viewer");
    const t = c.get("view").t;
    const names = macroNames(pano);
    const who = (m: MacroRow) => (visibilityOf(m) === "personal" ? t("macros.visibility.personal") : visibilityOf(m) === "everyone" ? t("macros.visibility.everyone") : t("macros.visibility.team", { team: names.teams.get(m.team_id!) ?? `#${m.team_id}` }));
    const rows = macros.visibleTo(viewer).map((m) => ({ id: m.id, name: m.name, who: who(m), actions: actionsOf(m), manageable: macroManageable(viewer, m) }));
    return c.html(MacrosPage({ ctx: c.get("view"), rows, names, choices: choices(c), form, notice: status === 200 ? noticeFrom(c) : null }), status);
  };

  /** Saves the posted form (id null: a new macro); the form with its errors when it is not valid. */
  async function save(c: Context<PageEnv>, id: number | null): Promise<{ ok: true } | { ok: false; form: MacroForm; status: 403 | 422 }> {
    const t = c.get("view").t;
    const { raw, values } = inputFromForm(await readForm(c));
    const actions = raw.actions as { type: string }[];
    const parsed = macroInputSchema.safeParse(raw);
    if (!parsed.success) {
      const errors = Object.fromEntries(Object.entries(issuesByField(parsed.error, t, raw)).map(([path, msg]) => [fieldOf(path, { actions }), msg]));
      if (!actions.length) errors._form = t("macros.no_actions");
      return { ok: false, status: 422, form: { values, errors, formError: errors._form ?? t("settings.fix_errors") } };
    }
    try {
      await macros.save(id, parsed.data, saver(c));
      return { ok: true };
    } catch (e) {
      if (!(e instanceof MacroInvalid)) throw e;
      const field = fieldOf(e.field ?? "_form", { actions });
      return { ok: false, status: e.code === "forbidden" ? 403 : 422, form: { values, errors: { [field]: problemText(t, e) }, formError: t("settings.fix_errors") } };
    }
  }

  app.get("/", (c) => listPage(c, { values: { visibility: "personal" }, errors: {} }));

  app.post("/", async (c) => {
    const r = await save(c, null);
    if (!r.ok) return listPage(c, r.form, r.status);
    return redirectWithNotice(c, "/settings/macros", "saved");
  });

  app.get("/:id{[0-9]+}", (c) => {
    const m = macros.manageable(c.get("viewer"), Number(c.req.param("id")));
    return c.html(MacroEditPage({ ctx: c.get("view"), id: m.id, choices: choices(c), form: { values: formFromMacro(m), errors: {} } }));
  });

  app.post("/:id{[0-9]+}", async (c) => {
    const m = macros.manageable(c.get("viewer"), Number(c.req.param("id")));
    const r = await save(c, m.id);
    if (!r.ok) return c.html(MacroEditPage({ ctx: c.get("view"), id: m.id, choices: choices(c), form: r.form }), r.status);
    return redirectWithNotice(c, "/settings/macros", "saved");
  });

  app.post("/:id{[0-9]+}/delete", async (c) => {
    await macros.remove(macros.manageable(c.get("viewer"), Number(c.req.param("id"))), saver(c));
    return redirectWithNotice(c, "/settings/macros", "deleted");
  });

  return app;
}
