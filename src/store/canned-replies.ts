// Canned replies: short texts agents insert with "/shortcut", per team or for everyone (team null).
import type { Database } from "bun:sqlite";
import { z } from "zod";
import type { Tx, Writer } from "./writer.ts";
import type { Viewer } from "../domain/conversation.ts";
import { teamExists } from "./teams.ts";

/** Lower-case ASCII so "/" + what an agent types matches without thinking about diacritics. */
export const SHORTCUT_PATTERN = /^[a-z0-9_-]{1,32}$/;

/** What settings forms and the REST API accept; team_id null means every team. */
export const cannedReplySchema = z.object({
  team_id: z.union([z.null(), z.string().regex(/^\d+$/).transform(Number), z.number().int().positive()]).default(null),
  shortcut: z.string().trim().regex(SHORTCUT_PATTERN),
  text: z.string().trim().min(1).max(5000),
});

/** Who changed a reply: settings (a user) or the API (a token's user). */
export interface Actor {
  type: "user" | "api";
  id: number;
}

function audit(tx: Tx, actor: Actor, action: string, id: number, data: unknown) {
  tx.db.query("INSERT INTO audit_log (actor_type, actor_id, action, subject_type, subject_id, data, created_at) VALUES (?, ?, ?, 'canned_reply', ?, ?, ?)")
    .run(actor.type, actor.id, action, id, data === null ? null : JSON.stringify(data), tx.now);
}

export interface CannedReplyRow {
  id: number;
  team_id: number | null;
  shortcut: string;
  text: string;
  created_at: number;
}

export interface CannedReplyInput {
  teamId: number | null;
  shortcut: string;
  text: string;
}

/** Global replies are everyone's; a team's are its agents' (admins and supervisors see all). */
export function cannedReplyVisible(viewer: Viewer, r: Pick<CannedReplyRow, "team_id">): boolean {
  return r.team_id === null || viewer.role !== "agent" || viewer.teamIds.includes(r.team_id);
}

export class CannedReplies {
  constructor(private db: Database, private writer: Writer) {}

  list(): CannedReplyRow[] {
    return this.db.query<CannedReplyRow, []>("SELECT * FROM canned_replies ORDER BY shortcut, id").all();
  }

  /** What the viewer may see and insert, optionally only what suits one team's conversation. */
  visibleTo(viewer: Viewer, teamId?: number): CannedReplyRow[] {
    const all = this.list().filter((r) => cannedReplyVisible(viewer, r));
    return teamId === undefined ? all : all.filter((r) => r.team_id === null || r.team_id === teamId);
  }

  get(id: number): CannedReplyRow | null {
    return this.db.query<CannedReplyRow, [number]>("SELECT * FROM canned_replies WHERE id = ?").get(id);
  }

  /** One reply by id, or null when it does not exist for this viewer (the same rule as the list). */
  getVisible(viewer: Viewer, id: number): CannedReplyRow | null {
    const r = this.get(id);
    return r && cannedReplyVisible(viewer, r) ? r : null;
  }

  teamExists(teamId: number): boolean {
    return teamExists(this.db, teamId);
  }

  /** Shortcuts are unique within a team (and among global replies). */
  clash(input: CannedReplyInput, exceptId = 0): boolean {
    return !!this.db
      .query("SELECT 1 FROM canned_replies WHERE shortcut = ? AND team_id IS ? AND id != ?")
      .get(input.shortcut, input.teamId, exceptId);
  }

  async create(input: CannedReplyInput, actor: Actor): Promise<CannedReplyRow> {
    const id = await this.writer.submit((tx) => {
      const id = Number(
        tx.db.query("INSERT INTO canned_replies (team_id, shortcut, text, created_at) VALUES (?, ?, ?, ?)").run(input.teamId, input.shortcut, input.text, tx.now).lastInsertRowid,
      );
      audit(tx, actor, "canned_reply.created", id, { shortcut: input.shortcut, team_id: input.teamId });
      return id;
    });
    return this.get(id)!;
  }

  async update(id: number, input: CannedReplyInput, actor: Actor): Promise<CannedReplyRow | null> {
    await this.writer.submit((tx) => {
      tx.db.query("UPDATE canned_replies SET team_id = ?, shortcut = ?, text = ? WHERE id = ?").run(input.teamId, input.shortcut, input.text, id);
      audit(tx, actor, "canned_reply.updated", id, { shortcut: input.shortcut, team_id: input.teamId });
    });
    return this.get(id);
  }

  async remove(id: number, actor: Actor): Promise<void> {
    await this.writer.submit((tx) => {
      tx.db.query("DELETE FROM canned_replies WHERE id = ?").run(id);
      audit(tx, actor, "canned_reply.deleted", id, null);
    });
  }
}
