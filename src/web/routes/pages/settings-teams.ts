// Settings > Teams: create and edit teams, their assignment mode, offline return time and members.
// Supervisors may look; only admins write.
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import { renderError, type PageEnv } from "../../view-context.ts";
import { PanoError } from "../../../domain/errors.ts";
import { TeamsPage, TeamEditPage, ASSIGNMENT_MODES, type TeamForm, type TeamView } from "../../../../views/settings/teams.tsx";
import { auditAction, ids, issuesByField, list, readForm, text, type FormValues } from "./settings-form.ts";
import { noticeFrom, redirectWithNotice } from "./settings-notice.ts";

const teamSchema = z.object({
  name: z.string().min(1).max(100),
  assignment: z.enum(ASSIGNMENT_MODES),
  offline_return_minutes: z.coerce.number().int().min(1).max(1440),
});

interface TeamRow { id: number; name: string; assignment: string; offline_return_minutes: number }

export function teamSettings(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;
  const people = () => pano.users.list().map((u) => ({ id: u.id, name: u.name }));
  const members = (teamId: number) => db.query<{ user_id: number }, [number]>("SELECT user_id FROM team_members WHERE team_id = ?").all(teamId).map((r) => r.user_id);
  const toView = (t: TeamRow): TeamView => ({ ...t, memberIds: members(t.id) });
  const teams = () => db.query<TeamRow, []>("SELECT id, name, assignment, offline_return_minutes FROM teams ORDER BY name").all().map(toView);
  const teamOr404 = (c: Context<PageEnv>): TeamView => {
    const t = db.query<TeamRow, [number]>("SELECT id, name, assignment, offline_return_minutes FROM teams WHERE id = ?").get(Number(c.req.param("id")));
    if (!t) throw new PanoError("not_found", "Team not found");
    return toView(t);
  };
  const formOf = (f: FormValues) => ({
    values: { name: text(f, "name"), assignment: text(f, "assignment"), offline_return_minutes: text(f, "offline_return_minutes") },
    memberIds: list(f, "member_ids"),
  });
  const blank: TeamForm = { values: {}, memberIds: [], errors: {} };

  /** Parses the form; a name another team has is a field error, not a database error. */
  const check = (c: Context<PageEnv>, f: FormValues, selfId: number | null) => {
    const t = c.get("view").t;
    const input = formOf(f).values;
    const parsed = teamSchema.safeParse(input);
    const errors = parsed.success ? {} : issuesByField(parsed.error, t, input);
    if (parsed.success && db.query("SELECT 1 FROM teams WHERE name = ? AND id IS NOT ?").get(parsed.data.name, selfId)) errors.name = t("settings.teams.exists");
    const active = new Set(people().map((p) => p.id));
    const memberIds = ids(f, "member_ids").filter((id) => active.has(id));
    return parsed.success && !Object.keys(errors).length
      ? { ok: true as const, data: parsed.data, memberIds }
      : { ok: false as const, form: { ...formOf(f), errors, formError: t("settings.fix_errors") } };
  };

  const adminOnly = (c: Context<PageEnv>) => {
    const v = c.get("view");
    return v.user.role === "admin" ? null : renderError(c, v, 403, v.t("settings.forbidden"));
  };

  app.get("/", (c) => c.html(TeamsPage({ ctx: c.get("view"), teams: teams(), people: people(), form: blank, notice: noticeFrom(c) })));

  app.post("/", async (c) => {
    const denied = adminOnly(c);
    if (denied) return denied;
    const r = check(c, await readForm(c), null);
    if (!r.ok) return c.html(TeamsPage({ ctx: c.get("view"), teams: teams(), people: people(), form: r.form }), 422);
    await pano.writer.submit((tx) => {
      const id = Number(
        tx.db.query("INSERT INTO teams (name, assignment, offline_return_minutes, created_at) VALUES (?, ?, ?, ?)")
          .run(r.data.name, r.data.assignment, r.data.offline_return_minutes, tx.now).lastInsertRowid,
      );
      for (const u of r.memberIds) tx.db.query("INSERT INTO team_members (team_id, user_id) VALUES (?, ?)").run(id, u);
      auditAction(tx, c.get("user").id, "team.created", { type: "team", id }, { ...r.data, member_ids: r.memberIds });
    });
    return redirectWithNotice(c, "/settings/teams", "saved");
  });

  app.get("/:id{[0-9]+}", (c) => {
    const denied = adminOnly(c);
    if (denied) return denied;
    const team = teamOr404(c);
    const form: TeamForm = { values: { name: team.name, assignment: team.assignment, offline_return_minutes: String(team.offline_return_minutes) }, memberIds: team.memberIds.map(String), errors: {} };
    return c.html(TeamEditPage({ ctx: c.get("view"), team, people: people(), form, notice: noticeFrom(c) }));
  });

  app.post("/:id{[0-9]+}", async (c) => {
    const denied = adminOnly(c);
    if (denied) return denied;
    const team = teamOr404(c);
    const r = check(c, await readForm(c), team.id);
    if (!r.ok) return c.html(TeamEditPage({ ctx: c.get("view"), team, people: people(), form: r.form }), 422);
    await pano.writer.submit((tx) => {
      tx.db.query("UPDATE teams SET name = ?, assignment = ?, offline_return_minutes = ? WHERE id = ?").run(r.data.name, r.data.assignment, r.data.offline_return_minutes, team.id);
      tx.db.query("DELETE FROM team_members WHERE team_id = ?").run(team.id);
      for (const u of r.memberIds) tx.db.query("INSERT INTO team_members (team_id, user_id) VALUES (?, ?)").run(team.id, u);
      auditAction(tx, c.get("user").id, "team.updated", { type: "team", id: team.id }, { ...r.data, member_ids: r.memberIds });
    });
    return redirectWithNotice(c, `/settings/teams/${team.id}`, "saved");
  });

  return app;
}
