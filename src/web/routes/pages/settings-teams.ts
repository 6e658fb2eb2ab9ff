// Settings > Teams: create and edit teams, their assignment mode, offline return time and members.
// Supervisors may look; only admins write. Saving goes through store/teams.ts saveTeam, the same
// function POST /api/v1/teams uses; this page only turns form strings into its input and its
// refusals into messages beside the fields.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import { renderError, type PageEnv } from "../../view-context.ts";
import { PanoError } from "../../../domain/errors.ts";
import { listTeams, saveTeam, teamById, teamInputSchema, type TeamRecord } from "../../../store/teams.ts";
import { TeamsPage, TeamEditPage, type TeamForm } from "../../../../views/settings/teams.tsx";
import { ids, issuesByField, list, readForm, text, type FormValues } from "./settings-form.ts";
import { noticeFrom, redirectWithNotice } from "./settings-notice.ts";
import { readCsatSettings, saveCsatSettings } from "../../../store/csat.ts";
import { csatFormOf, csatSection, readCsatForm } from "../../csat-settings-form.ts";

export function teamSettings(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;
  const people = () => pano.users.list().map((u) => ({ id: u.id, name: u.name }));
  const teams = () => listTeams(db, "name");
  const teamOr404 = (c: Context<PageEnv>): TeamRecord => {
    const t = teamById(db, Number(c.req.param("id")));
    if (!t) throw new PanoError("not_found", "Team not found");
    return t;
  };
  const formOf = (f: FormValues) => ({
    values: { name: text(f, "name"), assignment: text(f, "assignment"), offline_return_minutes: text(f, "offline_return_minutes") },
    memberIds: list(f, "member_ids"),
  });
  const blank: TeamForm = { values: {}, memberIds: [], errors: {} };

  /** Form -> saved team, or the form back with each refusal beside its field (a taken name too). */
  const save = async (c: Context<PageEnv>, f: FormValues, teamId: number | null): Promise<{ ok: true } | { ok: false; form: TeamForm }> => {
    const t = c.get("view").t;
    const form = formOf(f);
    const minutes = form.values.offline_return_minutes;
    // The form lists active people only; someone disabled meanwhile is left out, not an error.
    const active = new Set(people().map((p) => p.id));
    const input = { ...form.values, offline_return_minutes: minutes === "" ? "" : Number(minutes), member_ids: ids(f, "member_ids").filter((id) => active.has(id)) };
    const parsed = teamInputSchema.safeParse(input);
    const refused = (errors: Record<string, string>) => ({ ok: false as const, form: { ...form, errors, formError: t("settings.fix_errors") } });
    if (!parsed.success) return refused(issuesByField(parsed.error, t, input));
    try {
      await saveTeam(db, pano.writer, pano.users, parsed.data, teamId, c.get("user").id);
      return { ok: true };
    } catch (err) {
      if (err instanceof PanoError && err.code === "conflict") return refused({ name: t("settings.teams.exists") });
      if (err instanceof PanoError && err.field === "member_ids") return refused({ member_ids: t("settings.err.choice") });
      throw err;
    }
  };

  const adminOnly = (c: Context<PageEnv>) => {
    const v = c.get("view");
    return v.user.role === "admin" ? null : renderError(c, v, 403, v.t("settings.forbidden"));
  };

  app.get("/", (c) => c.html(TeamsPage({ ctx: c.get("view"), teams: teams(), people: people(), form: blank, notice: noticeFrom(c) })));

  app.post("/", async (c) => {
    const denied = adminOnly(c);
    if (denied) return denied;
    const r = await save(c, await readForm(c), null);
    if (!r.ok) return c.html(TeamsPage({ ctx: c.get("view"), teams: teams(), people: people(), form: r.form }), 422);
    return redirectWithNotice(c, "/settings/teams", "saved");
  });

  app.get("/:id{[0-9]+}", (c) => {
    const denied = adminOnly(c);
    if (denied) return denied;
    const team = teamOr404(c);
    const form: TeamForm = { values: { name: team.name, assignment: team.assignment, offline_return_minutes: String(team.offline_return_minutes) }, memberIds: team.memberIds.map(String), errors: {} };
    const csat = csatSection(c.get("view"), team.id, csatFormOf(readCsatSettings(db, team.id), c.req.query("notice") === "csat"));
    return c.html(TeamEditPage({ ctx: c.get("view"), team, people: people(), form, notice: noticeFrom(c), children: csat }));
  });

  // The team's satisfaction survey (docs/csat.md): its own form on the team's page, the API's schema.
  app.post("/:id{[0-9]+}/csat", async (c) => {
    const denied = adminOnly(c);
    if (denied) return denied;
    const team = teamOr404(c);
    const view = c.get("view");
    const r = readCsatForm(await readForm(c), readCsatSettings(db, team.id), view.t);
    if (!r.ok) {
      const form: TeamForm = { values: { name: team.name, assignment: team.assignment, offline_return_minutes: String(team.offline_return_minutes) }, memberIds: team.memberIds.map(String), errors: {} };
      return c.html(TeamEditPage({ ctx: view, team, people: people(), form, children: csatSection(view, team.id, r.form) }), 422);
    }
    await pano.writer.submit((tx) => saveCsatSettings(tx, team.id, r.settings, c.get("user").id));
    return c.redirect(`/settings/teams/${team.id}?notice=csat#csat`, 303);
  });

  app.post("/:id{[0-9]+}", async (c) => {
    const denied = adminOnly(c);
    if (denied) return denied;
    const team = teamOr404(c);
    const r = await save(c, await readForm(c), team.id);
    if (!r.ok) return c.html(TeamEditPage({ ctx: c.get("view"), team, people: people(), form: r.form }), 422);
    return redirectWithNotice(c, `/settings/teams/${team.id}`, "saved");
  });

  return app;
}
