// Settings > Users: invite (a password set by the admin, or a generated one shown once), role,
// teams, capacity, new password, disable. Every change is audited with the admin as actor.
// Creating, changing and disabling go through pano.users (store/users.ts), the one place that
// also refreshes or revokes the person's sessions, tokens and cached rights.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { randomBytes } from "node:crypto";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import type { UserRow } from "../../../store/users.ts";
import { ROLES } from "../../../domain/conversation.ts";
import { PanoError } from "../../../domain/errors.ts";
import { phoneUserIdOf } from "../../../domain/phone-user.ts";
import { teamNames, teamNamesByMember } from "../../../store/teams.ts";
import { UsersPage, UserEditPage, type UserForm } from "../../../../views/settings/users.tsx";
import { auditAction, ids, issuesByField, list, readForm, text, type FormValues } from "./settings-form.ts";
import { noticeFrom, redirectWithNotice } from "./settings-notice.ts";

const MIN_PASSWORD = 10; // the same rule as the password change page
const base = {
  role: z.enum(ROLES),
  capacity: z.coerce.number().int().min(1).max(500),
  password: z.union([z.literal(""), z.string().min(MIN_PASSWORD).max(200)]),
  phone_user_id: z.string().trim().max(100).refine((v) => phoneUserIdOf(v) !== undefined, "letters, digits and _ . @ + - only"),
};
const inviteSchema = z.object({ ...base, name: z.string().max(100), email: z.string().max(200).email() });
const editSchema = z.object({ ...base, name: z.string().min(1).max(100) });

const emptyForm = (values: Record<string, string> = {}, teamIds: string[] = []): UserForm => ({ values, teamIds, errors: {} });

/** Twelve random characters people can read out over the phone without ambiguity problems. */
const oneTimePassword = () => randomBytes(9).toString("base64url");

export function userSettings(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;
  const teams = () => teamNames(db);
  const teamsOf = () => teamNamesByMember(db);
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
    values: { name: text(form, "name"), email: text(form, "email"), role: text(form, "role"), capacity: text(form, "capacity"), phone_user_id: text(form, "phone_user_id") },
    teamIds: list(form, "team_ids"),
  });

  app.get("/", (c) => listPage(c, emptyForm()));

  app.post("/", async (c) => {
    const t = c.get("view").t;
    const form = await readForm(c);
    const input = { ...formOf(form).values, password: text(form, "password") };
    const parsed = inviteSchema.safeParse(input);
    const errors = parsed.success ? {} : issuesByField(parsed.error, t, input);
    if (!parsed.success) return listPage(c, { ...formOf(form), errors, formError: t("settings.fix_errors") }, null, 422);
    const d = parsed.data;
    const password = d.password || oneTimePassword();
    const teamIds = validTeamIds(form);
    let user: UserRow;
    try {
      user = await pano.users.create({ email: d.email, password, name: d.name || undefined, role: d.role, teamIds, capacity: d.capacity, phoneUserId: phoneUserIdOf(d.phone_user_id) }, (tx, id) =>
        auditAction(tx, c.get("user").id, "user.invited", { type: "user", id }, { email: d.email.trim().toLowerCase(), role: d.role, team_ids: teamIds, password: d.password ? "set" : "generated" }),
      );
    } catch (err) {
      // Disabled accounts keep their email, so it may be taken by someone not in the list.
      if (!(err instanceof PanoError && (err.field === "email" || err.field === "phone_user_id"))) throw err;
      const errors: Record<string, string> = err.field === "email" ? { email: t("settings.users.exists") } : { phone_user_id: t("call.phone_user_id_taken") };
      return listPage(c, { ...formOf(form), errors, formError: t("settings.fix_errors") }, null, 422);
    }
    // The page shows the password this once; it is not in any URL, log or later page.
    return listPage(c, emptyForm(), { email: user.email, password }, 201);
  });

  app.get("/:id{[0-9]+}", (c) => {
    const u = userOr404(c);
    const values = { name: u.name, role: u.role, capacity: String(u.capacity), phone_user_id: u.phone_user_id ?? "" };
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
    const refused = (errors: Record<string, string>) =>
      c.html(UserEditPage({ ctx: c.get("view"), user: u, teams: teams(), form: { ...formOf(form), errors, formError: t("settings.fix_errors") } }), 422);
    if (!parsed.success) return refused(errors);
    const d = parsed.data;
    const teamIds = validTeamIds(form);
    try {
      const phoneUserId = phoneUserIdOf(d.phone_user_id) ?? null;
      await pano.users.update(u.id, { name: d.name, role: d.role, capacity: d.capacity, teamIds, phoneUserId }, me.id, (tx) =>
        auditAction(tx, me.id, "user.updated", { type: "user", id: u.id }, { role: d.role, capacity: d.capacity, team_ids: teamIds, phone_user_id: phoneUserId }),
      );
    } catch (err) {
      if (!(err instanceof PanoError && (err.field === "role" || err.field === "name" || err.field === "phone_user_id"))) throw err;
      return refused(err.field === "role" ? { role: t("settings.users.cannot_demote_self") } : err.field === "phone_user_id" ? { phone_user_id: t("call.phone_user_id_taken") } : { name: t("settings.err.required") });
    }
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
