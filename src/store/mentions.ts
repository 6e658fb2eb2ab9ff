// @mentions in private notes: who may be named (active people and teams), the mentions a note
// made, and the conversations a mention opened to people outside its team (conversation_guests,
// read into the Viewer by users.ts so canSee and scopeSql let them in to that one conversation).
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import type { Mentionable } from "../domain/mention.ts";
import { prepared } from "./prepared.ts";

export interface MentionableRow extends Mentionable {
  /** A person's email (tells two people of the same name apart); null for a team. */
  email: string | null;
}

/** Active people and every team: who a note may name. Someone disabled (who left) is not among them. */
export function mentionables(db: Database): MentionableRow[] {
  const people = db
    .query<{ id: number; name: string; email: string }, []>("SELECT id, name, email FROM users WHERE disabled_at IS NULL ORDER BY name")
    .all()
    .map((u): MentionableRow => ({ kind: "user", id: u.id, name: u.name, email: u.email }));
  const teams = db.query<{ id: number; name: string }, []>("SELECT id, name FROM teams ORDER BY name").all().map((t): MentionableRow => ({ kind: "team", id: t.id, name: t.name, email: null }));
  return [...people, ...teams];
}

/**
 * Stores a note's mentions and lets each named person (a team's active members for a team) into
 * the conversation. Returns who was named, with the team that named them (null: by name).
 */
export function recordMentions(tx: Tx, note: { messageId: number; conversationId: number; authorId: number | null }, named: Mentionable[]): { userId: number; teamId: number | null }[] {
  const insert = tx.db.query("INSERT INTO note_mentions (message_id, conversation_id, user_id, team_id, created_at) VALUES (?, ?, ?, ?, ?)");
  const people = new Map<number, number | null>();
  for (const m of named) {
    insert.run(note.messageId, note.conversationId, m.kind === "user" ? m.id : null, m.kind === "team" ? m.id : null, tx.now);
    if (m.kind === "user") people.set(m.id, null);
    else
      for (const r of tx.db.query<{ user_id: number }, [number]>("SELECT m.user_id FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = ? AND u.disabled_at IS NULL").all(m.id))
        if (!people.has(r.user_id)) people.set(r.user_id, m.id);
  }
  people.delete(note.authorId ?? -1);
  const guest = tx.db.query("INSERT OR IGNORE INTO conversation_guests (conversation_id, user_id, message_id, created_at) VALUES (?, ?, ?, ?)");
  for (const userId of people.keys()) guest.run(note.conversationId, userId, note.messageId, tx.now);
  return [...people].map(([userId, teamId]) => ({ userId, teamId }));
}

/** Has this note's mentions been handled already (a replayed event)? */
export function mentionsRecorded(db: Database, messageId: number): boolean {
  return !!db.query("SELECT 1 FROM note_mentions WHERE message_id = ? LIMIT 1").get(messageId);
}

/** The conversations someone was let into by a mention (prepared: every page request reads it). */
export function guestConversations(db: Database, userId: number): number[] {
  return prepared<{ conversation_id: number }, [number]>(db, "SELECT conversation_id FROM conversation_guests WHERE user_id = ?").all(userId).map((r) => r.conversation_id);
}

