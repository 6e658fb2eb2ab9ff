// Teams: their names for pickers and timelines, whether one exists (for checks at save), and
// saving one with its members.
import { DEFAULT_REOPEN_WINDOW_MINUTES } from "../domain/conversation-lifecycle.ts";
import type { Database } from "bun:sqlite";
import { z } from "zod";
import type { Writer } from "./writer.ts";
import type { Strategy } from "../domain/assignment.ts";
import { PanoError } from "../domain/errors.ts";
import { cleanName } from "../domain/text.ts";
import { auditAction } from "./audit.ts";

export interface TeamName {
  id: number;
  name: string;
}

/** Every team, by name (pickers and filters). */
export function teamNames(db: Database): TeamName[] {
  return db.query<TeamName, []>("SELECT id, name FROM teams ORDER BY name").all();
}

export function teamExists(db: Database, id: number): boolean {
  return !!db.query("SELECT 1 FROM teams WHERE id = ?").get(id);
}

// Writing teams. The REST API (POST /api/v1/teams) and Settings › Teams both save through
// saveTeam, so the rules live once: the name is cleaned (no NUL or bidi overrides) and unique,
// members are active people, membership is replaced whole, and the admin's action is audited.

const ASSIGNMENT_MODES = ["round_robin", "least_open", "manual"] as const satisfies readonly Strategy[];

const id = z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number);
/** A team as the API and the settings form give it; the page turns its strings into these types first. */
export const teamInputSchema = z.object({
  name: z.string().transform((s) => cleanName(s) ?? "").pipe(z.string().min(1).max(100)),
  assignment: z.enum(ASSIGNMENT_MODES).default("round_robin"),
  offline_return_minutes: z.number().int().min(1).max(1440).default(15),
  // Minutes after resolution in which a customer message reopens a conversation (interface.md
  // `reopen_window`); left out, a new team gets 24 h and an edited one keeps its own.
  reopen_window: z.number().int().min(0).max(366 * 1440).optional(),
  member_ids: z.array(id).default([]),
});
export type TeamInput = z.output<typeof teamInputSchema>;

export interface TeamRecord {
  id: number;
  name: string;
  assignment: Strategy;
  offline_return_minutes: number;
  reopen_window_minutes: number;
  created_at: number;
  memberIds: number[];
}

type TeamRow = Omit<TeamRecord, "memberIds">;
const TEAM_COLS = "id, name, assignment, offline_return_minutes, reopen_window_minutes, created_at";
/** A team's members' user ids (assignment walks them too). */
export function memberIds(db: Database, teamId: number): number[] {
  return db.query<{ user_id: number }, [number]>("SELECT user_id FROM team_members WHERE team_id = ? ORDER BY user_id").all(teamId).map((r) => r.user_id);
}
const withMembers = (db: Database, t: TeamRow): TeamRecord => ({ ...t, memberIds: memberIds(db, t.id) });

/** Every team with its members: by id for the API's paging, by name for the settings page. */
export function listTeams(db: Database, order: "id" | "name" = "id"): TeamRecord[] {
  const sql = order === "name" ? `SELECT ${TEAM_COLS} FROM teams ORDER BY name` : `SELECT ${TEAM_COLS} FROM teams ORDER BY id`;
  return db.query<TeamRow, []>(sql).all().map((t) => withMembers(db, t));
}

export function teamById(db: Database, teamId: number): TeamRecord | null {
  const t = db.query<TeamRow, [number]>(`SELECT ${TEAM_COLS} FROM teams WHERE id = ?`).get(teamId);
  return t ? withMembers(db, t) : null;
}

/** user id -> the names of the teams they are in (the users list). */
export function teamNamesByMember(db: Database): Map<number, string[]> {
  const names = new Map<number, string[]>();
  for (const r of db.query<{ user_id: number; name: string }, []>("SELECT m.user_id, t.name FROM team_members m JOIN teams t ON t.id = m.team_id ORDER BY t.name").all()) {
    names.set(r.user_id, [...(names.get(r.user_id) ?? []), r.name]);
  }
  return names;
}

/** What saving a team needs to know about people (the Users store): who is active, and whose rights to refresh. */
export interface TeamPeople {
  byId(userId: number): unknown;
  membershipChanged(): void;
}

/**
 * Creates (id null) or updates a team and replaces its members. A name another team has is a
 * `conflict` on `name`; a member who is not an active user is `validation_failed` on `member_ids`.
 */
export async function saveTeam(db: Database, writer: Writer, people: TeamPeople, input: TeamInput, teamId: number | null, actorId: number): Promise<TeamRecord> {
  if (db.query("SELECT 1 FROM teams WHERE name = ? AND id IS NOT ?").get(input.name, teamId)) throw new PanoError("conflict", "A team with this name already exists", "name");
  for (const u of input.member_ids) if (!people.byId(u)) throw new PanoError("validation_failed", `member_ids: no user ${u}`, "member_ids");
  const memberIds = [...new Set(input.member_ids)];
  const saved = await writer.submit((tx) => {
    let savedId = teamId;
    if (savedId === null) {
      savedId = Number(tx.db.query("INSERT INTO teams (name, assignment, offline_return_minutes, reopen_window_minutes, created_at) VALUES (?, ?, ?, ?, ?)").run(input.name, input.assignment, input.offline_return_minutes, input.reopen_window ?? DEFAULT_REOPEN_WINDOW_MINUTES, tx.now).lastInsertRowid);
    } else {
      tx.db.query("UPDATE teams SET name = ?, assignment = ?, offline_return_minutes = ?, reopen_window_minutes = coalesce(?, reopen_window_minutes) WHERE id = ?").run(input.name, input.assignment, input.offline_return_minutes, input.reopen_window ?? null, savedId);
      tx.db.query("DELETE FROM team_members WHERE team_id = ?").run(savedId);
    }
    for (const u of memberIds) tx.db.query("INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?, ?)").run(savedId, u);
    const data = { name: input.name, assignment: input.assignment, offline_return_minutes: input.offline_return_minutes, member_ids: memberIds };
    auditAction(tx, actorId, teamId === null ? "team.created" : "team.updated", { type: "team", id: savedId }, data);
    return savedId;
  });
  // Who is in which team decides what people see: cached rights must not outlive the change.
  people.membershipChanged();
  return teamById(db, saved)!;
}
