// Settings > Users: invite (a password set by the admin, or a generated one shown once), role,
// teams, capacity, new password, disable. Every change is audited with the admin as actor.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { randomBytes } from "node:crypto";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import type { UserRow } from "../../../store/users.ts";
import { ROLES, type Role } from "../../../domain/conversation.ts";
import { PanoError } from "../../../domain/errors.ts";
import { UsersPage, UserEditPage, type UserForm, type TeamOption } from "../../../../views/settings/users.tsx";
import { auditAction, ids, issuesByField, list, readForm, text, type FormValues } from "./settings-form.ts";
import { noticeFrom, redirectWithNotice } from "./settings-notice.ts";

const MIN_PASSWORD = 10; // the same rule as the password change page
const base = {
  role: z.enum(ROLES),
  capacity: z.coerce.number().int().min(1).max(500),
  password: z.union([z.literal(""), z.string().min(MIN_PASSWORD).max(200)]),
};
const inviteSchema = z.object({ ...base, name: z.string().max(100), email: z.string().max(200).email() });
const editSchema = z.object({ ...base, name: z.string().min(1).max(100) });

const emptyForm = (values: Record<string, string> = {}, teamIds: string[] = []): UserForm => ({ values, teamIds, errors: {} });

/** Twelve random characters people can read out over the phone without ambiguity problems. */
const oneTimePassword = () => randomBytes(9).toString("base64url");

export function userSettings(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;
  const teams = () => db.query<TeamOption, []>("SELECT id, name FROM teams ORDER BY name").all();
  const teamsOf = () => {
    const names = new Map<number, string[]>();
    for (const r of db.query<{ user_id: number; name: string }, []>("SELECT m.user_id, t.name FROM team_members m JOIN teams t ON t.id = m.team_id ORDER BY t.name").all()) {
      names.set(r.user_id, [...(names.get(r.user_id) ?? []), r.name]);
    }
    return names;
  };
  const validTeamIds = (form: FormValues) => {
    const known = new Set(teams().map((t) => t.id));
    return ids(form, "team_ids").filter((id) => known.has(id));
  };
  const userOr404 = (c: Context<PageEnv>): UserRow => {
    const u = pano.users.byId(Number(c.req.param("id")));
    if (!u) throw new PanoError("not_found", "User not found");
    return u;
  };
  const listPage = (c: Context<PageEnv>, form: UserForm, created: { email: string; password: string } | null = null, status: 200 | 201 | 422 = 200) =>
    c.html(UsersPage({ ctx: c.get("view"), users: pano.users.list(), teamsOf: teamsOf(), teams: teams(), form, created, notice: created ? null : noticeFrom(c) }), status);
  const formOf = (form: FormValues): Pick<UserForm, "values" | "teamIds"> => ({
    values: { name: text(form, "name"), email: text(form, "email"), role: text(form, "role"), capacity: text(form, "capacity") },
    teamIds: list(form, "team_ids"),
  });

  app.get("/", (c) => listPage(c, emptyForm()));

  app.post("/", async (c) => {
    const t = c.get("view").t;
    const form = await readForm(c);
    const input = { ...formOf(form).values, password: text(form, "password") };
    const parsed = inviteSchema.safeParse(input);
    const errors = parsed.success ? {} : issuesByField(parsed.error, t, input);
    // Disabled accounts keep their email, so look at every row, not just active users.
    if (parsed.success && db.query("SELECT 1 FROM users WHERE email = ?").get(parsed.data.email.toLowerCase())) errors.email = t("settings.users.exists");
    if (!parsed.success || Object.keys(errors).length) {
      return listPage(c, { ...formOf(form), errors, formError: t("settings.fix_errors") }, null, 422);
    }
    const d = parsed.data;
    const password = d.password || oneTimePassword();
    const teamIds = validTeamIds(form);
    const user = await pano.users.create({ email: d.email, password, name: d.name || undefined, role: d.role, teamIds });
    await pano.writer.submit((tx) => {
      tx.db.query("UPDATE users SET capacity = ? WHERE id = ?").run(d.capacity, user.id);
      auditAction(tx, c.get("user").id, "user.invited", { type: "user", id: user.id }, { email: user.email, role: d.role, team_ids: teamIds, password: d.password ? "set" : "generated" });
    });
    // The page shows the password this once; it is not in any URL, log or later page.
    return listPage(c, emptyForm(), { email: user.email, password }, 201);
  });

  app.get("/:id{[0-9]+}", (c) => {
    const u = userOr404(c);
    const values = { name: u.name, role: u.role, capacity: String(u.capacity) };
    return c.html(UserEditPage({ ctx: c.get("view"), user: u, teams: teams(), form: emptyForm(values, pano.users.teamIds(u.id).map(String)), notice: noticeFrom(c) }));
  });

  app.post("/:id{[0-9]+}", async (c) => {
    const u = userOr404(c);
    const me = c.get("user");
    const t = c.get("view").t;
    const form = await readForm(c);
    const input = { ...formOf(form).values, password: text(form, "password") };
    const parsed = editSchema.safeParse(input);
    const errors = parsed.success ? {} : issuesByField(parsed.error, t, input);
    if (parsed.success && u.id === me.id && parsed.data.role !== "admin") errors.role = t("settings.users.cannot_demote_self");
    if (!parsed.success || Object.keys(errors).length) {
      const page = UserEditPage({ ctx: c.get("view"), user: u, teams: teams(), form: { ...formOf(form), errors, formError: t("settings.fix_errors") } });
      return c.html(page, 422);
    }
    const d = parsed.data;
    const teamIds = validTeamIds(form);
    await pano.writer.submit((tx) => {
      tx.db.query("UPDATE users SET name = ?, role = ?, capacity = ? WHERE id = ?").run(d.name, d.role as Role, d.capacity, u.id);
      tx.db.query("DELETE FROM team_members WHERE user_id = ?").run(u.id);
      for (const teamId of teamIds) tx.db.query("INSERT INTO team_members (team_id, user_id) VALUES (?, ?)").run(teamId, u.id);
      auditAction(tx, me.id, "user.updated", { type: "user", id: u.id }, { role: d.role, capacity: d.capacity, team_ids: teamIds });
    });
    if (d.password) {
      // Setting a password signs the user out everywhere (setPassword ends their sessions).
      await pano.users.setPassword(u.id, d.password);
      await pano.writer.submit((tx) => auditAction(tx, me.id, "user.password_set", { type: "user", id: u.id }));
    }
    return redirectWithNotice(c, `/settings/users/${u.id}`, "saved");
  });

  app.post("/:id{[0-9]+}/disable", async (c) => {
    const u = userOr404(c);
    const me = c.get("user");
    const view = c.get("view");
    if (u.id === me.id) return c.html(UsersPage({ ctx: view, users: pano.users.list(), teamsOf: teamsOf(), teams: teams(), form: { ...emptyForm(), formError: view.t("settings.users.cannot_disable_self") } }), 422);
    await pano.users.disable(u.id, (tx) => auditAction(tx, me.id, "user.disabled", { type: "user", id: u.id }, { email: u.email }));
    return redirectWithNotice(c, "/settings/users", "disabled");
  });

  return app;
}
