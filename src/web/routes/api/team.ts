// /api/v1/users and /api/v1/teams: the people who answer, and the teams they answer for.
import { Hono } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { requireRole } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { ROLES } from "../../../domain/conversation.ts";
import { readJson, pageById } from "./input.ts";
import { presentUser, iso, sid } from "./present.ts";

const ids = z.array(z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number)).default([]);
const userSchema = z.object({
  email: z.string().email(),
  password: z.string().min(8, "must be at least 8 characters"),
  name: z.string().trim().min(1).max(100).optional(),
  role: z.enum(ROLES).default("agent"),
  team_ids: ids,
});
const teamSchema = z.object({
  name: z.string().trim().min(1).max(100),
  assignment: z.enum(["round_robin", "least_open", "manual"]).default("round_robin"),
  offline_return_minutes: z.number().int().min(1).max(1440).default(15),
  member_ids: ids,
});

interface TeamRow { id: number; name: string; assignment: string; offline_return_minutes: number; created_at: number }

export function teamRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const db = pano.store.sqlite;
  const admin = requireRole("admin");
  const members = (teamId: number) => db.query<{ user_id: number }, [number]>("SELECT user_id FROM team_members WHERE team_id = ?").all(teamId).map((r) => String(r.user_id));
  const presentTeam = (t: TeamRow) => ({ id: sid(t.id), name: t.name, assignment: t.assignment, offline_return_minutes: t.offline_return_minutes, member_ids: members(t.id), created_at: iso(t.created_at) });

  app.get("/users", (c) => {
    const page = pageById(c, pano.users.list(), (u) => u.id);
    return c.json({ data: page.data.map((u) => presentUser(u, pano.users.teamIds(u.id))), next_cursor: page.next_cursor });
  });

  app.post("/users", admin, async (c) => {
    const body = await readJson(c, userSchema);
    // Disabled users keep their email: it is still taken.
    if (db.query("SELECT 1 FROM users WHERE email = ?").get(body.email.trim().toLowerCase())) throw new PanoError("conflict", "A user with this email already exists");
    for (const t of body.team_ids) if (!db.query("SELECT 1 FROM teams WHERE id = ?").get(t)) throw new PanoError("validation_failed", `team_ids: no team ${t}`, "team_ids");
    const u = await pano.users.create({ email: body.email, password: body.password, name: body.name, role: body.role, teamIds: body.team_ids });
    return c.json(presentUser(u, pano.users.teamIds(u.id)), 201);
  });

  app.get("/teams", (c) => {
    const page = pageById(c, db.query<TeamRow, []>("SELECT * FROM teams ORDER BY id").all(), (t) => t.id);
    return c.json({ data: page.data.map(presentTeam), next_cursor: page.next_cursor });
  });

  app.post("/teams", admin, async (c) => {
    const body = await readJson(c, teamSchema);
    if (db.query("SELECT 1 FROM teams WHERE name = ?").get(body.name)) throw new PanoError("conflict", "A team with this name already exists");
    for (const u of body.member_ids) if (!pano.users.byId(u)) throw new PanoError("validation_failed", `member_ids: no user ${u}`, "member_ids");
    const id = await pano.writer.submit((tx) => {
      const id = Number(tx.db.query("INSERT INTO teams (name, assignment, offline_return_minutes, created_at) VALUES (?, ?, ?, ?)").run(body.name, body.assignment, body.offline_return_minutes, tx.now).lastInsertRowid);
      for (const u of body.member_ids) tx.db.query("INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?, ?)").run(id, u);
      return id;
    });
    return c.json(presentTeam(db.query<TeamRow, [number]>("SELECT * FROM teams WHERE id = ?").get(id)!), 201);
  });

  return app;
}
