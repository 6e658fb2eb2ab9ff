// The call items a report counts, as plain facts (domain/call-report.ts): every call on a switchboard
// channel from a time on, with the Pano user the switchboard named (their phone_user_id or email).
import type { Database } from "bun:sqlite";
import type { CallFact } from "../domain/call-report.ts";
import type { CallRecord } from "../domain/call.ts";

export function callFacts(db: Database, since: number, f: { teamId?: number }): CallFact[] {
  const args: number[] = [since];
  let team = "";
  if (f.teamId !== undefined) { team = " AND c.team_id = ?"; args.push(f.teamId); }
  // Calls come only on channels that carry them; messages_channel_external keeps this to those rows.
  const rows = db
    .query<{ id: number; contact_id: number; created_at: number; meta: string }, number[]>(
      `SELECT m.id, c.contact_id, m.created_at, m.meta FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE m.channel_id IN (SELECT id FROM channels WHERE type = 'phone') AND m.created_at >= ? AND m.meta LIKE '%"kind":"call"%'${team}`,
    )
    .all(...args);
  const people = new Map<string, number>();
  for (const u of db.query<{ id: number; email: string; phone_user_id: string | null }, []>("SELECT id, email, phone_user_id FROM users").all()) {
    people.set(u.email, u.id);
    if (u.phone_user_id) people.set(u.phone_user_id, u.id);
  }
  return rows.flatMap((r) => {
    const call = (JSON.parse(r.meta) as { call?: CallRecord }).call;
    if (!call) return [];
    return [{
      messageId: r.id, contactId: r.contact_id, direction: call.direction, status: call.status, ended: call.ended, at: r.created_at,
      talkS: call.duration_s, agentId: call.answered_by ? people.get(call.answered_by) ?? null : null, shopNumber: call.shop_number ?? null,
    }];
  });
}
