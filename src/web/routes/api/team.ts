// /api/v1/users and /api/v1/teams: the people who answer, and the teams they answer for.
// Creating either goes through the store (pano.users.create, saveTeam): the settings pages save
// through the same functions, so the rules (clean names, unique email and team name) hold on both.
import { Hono } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { requireRole } from "../../auth.ts";
import { ROLES } from "../../../domain/conversation.ts";
import { PHONE_USER_ID } from "../../../domain/phone-user.ts";
import { listTeams, saveTeam, teamInputSchema, type TeamRecord } from "../../../store/teams.ts";
import { readJson, pageById } from "./input.ts";
import { presentUser, iso, sid } from "./present.ts";

const ids = z.array(z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number)).default([]);
const userSchema = z.object({
  email: z.string().email(),
  password: z.string().min(8, "must be at least 8 characters"),
  name: z.string().trim().min(1).max(100).optional(),
  role: z.enum(ROLES).default("agent"),
  team_ids: ids,
  phone_user_id: z.string().trim().max(100).regex(PHONE_USER_ID, "letters, digits and _ . @ + - only").nullable().optional(),
});

const presentTeam = (t: TeamRecord) => ({
  id: sid(t.id), name: t.name, assignment: t.assignment, offline_return_minutes: t.offline_return_minutes, reopen_window: t.reopen_window_minutes,
  member_ids: t.memberIds.map(String), created_at: iso(t.created_at),
});

export function teamRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const db = pano.store.sqlite;
  const admin = requireRole("admin");

  app.get("/users", (c) => {
    const page = pageById(c, pano.users.list(), (u) => u.id);
    return c.json({ data: page.data.map((u) => presentUser(u, pano.users.teamIds(u.id))), next_cursor: page.next_cursor });
  });

  app.post("/users", admin, async (c) => {
    const body = await readJson(c, userSchema);
    const u = await pano.users.create({ email: body.email, password: body.password, name: body.name, role: body.role, teamIds: body.team_ids, phoneUserId: body.phone_user_id ?? null });
    return c.json(presentUser(u, pano.users.teamIds(u.id)), 201);
  });

  app.get("/teams", (c) => {
    const page = pageById(c, listTeams(db), (t) => t.id);
    return c.json({ data: page.data.map(presentTeam), next_cursor: page.next_cursor });
  });

  app.post("/teams", admin, async (c) => {
    const body = await readJson(c, teamInputSchema);
    return c.json(presentTeam(await saveTeam(db, pano.writer, pano.users, body, null, c.get("user").id)), 201);
  });

  return app;
}
