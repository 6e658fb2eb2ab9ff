// Suggested duplicate customers, kept by the background finder (pipeline/duplicate-finder.ts):
// each live contact's match keys, and the pairs that share a phone, an email, or a name plus one
// more detail (domain/duplicates.ts). Finding the partners of one contact is a few exact indexed
// lookups (its phone, its email, its name joined with each second detail), never a comparison,
// so the finder only ever works on the contacts that changed; the page reads the kept pairs.
import type { Database } from "bun:sqlite";
import type { Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";
import { auditAction } from "./audit.ts";
import { matchKeys, nameDetailKeys, pairOf, REASON_RANK, type DuplicateReason, type NameCandidate, type SharedDetail } from "../domain/duplicates.ts";

/** Partners looked at per key: a phone shared by 50 profiles is a data problem, not 1,225 suggestions. */
const PARTNERS = 20;
interface ContactFacts extends NameCandidate {
  id: number;
  name: string | null;
  phone: string | null;
  merged_into: number | null;
  updated_at: number;
}

const FACTS = "SELECT id, name, email, phone, avatar_url, attributes, merged_into, updated_at FROM contacts";

function forget(tx: Tx, id: number) {
  prepared(tx.db, "DELETE FROM contact_match_keys WHERE contact_id = ?").run(id);
  prepared(tx.db, "DELETE FROM contact_match_details WHERE contact_id = ?").run(id);
  prepared(tx.db, "DELETE FROM contact_duplicates WHERE a_id = ? OR b_id = ?").run(id, id);
}

/**
 * Whether the keys and details kept for a contact are the ones its facts give now. A contact is
 * named several times in a burst (created, its profile fetched, its search text refreshed, the
 * catch-up pass), mostly by changes that move no key; its pairs then stand as they are.
 */
function keptAsIs(tx: Tx, id: number, keys: ReturnType<typeof matchKeys>, details: string[]): boolean {
  const kept = prepared<{ phone: string | null; email: string | null; name: string | null }, [number]>(tx.db, "SELECT phone, email, name FROM contact_match_keys WHERE contact_id = ?").get(id);
  if (!kept || kept.phone !== keys.phone || kept.email !== keys.email || kept.name !== keys.name) return false;
  const keptDetails = prepared<{ key: string }, [number]>(tx.db, "SELECT key FROM contact_match_details WHERE contact_id = ?").all(id);
  const now = new Set(details);
  return keptDetails.length === now.size && keptDetails.every((r) => now.has(r.key));
}

/** Recomputes one contact's keys and its pairs; a merged or deleted contact leaves the list. */
function rescan(tx: Tx, c: ContactFacts | null, id: number): number {
  const keys = c && c.merged_into === null ? matchKeys(c) : null;
  const details = c && keys ? nameDetailKeys(keys.name, c) : [];
  if (keys && keptAsIs(tx, id, keys, details.map((d) => d.key))) return 0;
  forget(tx, id);
  if (!c || !keys) return 0;
  prepared(tx.db, "INSERT INTO contact_match_keys (contact_id, phone, email, name, scanned_at) VALUES (?, ?, ?, ?, ?)").run(id, keys.phone, keys.email, keys.name, tx.now);
  const add = prepared(tx.db, "INSERT OR IGNORE INTO contact_duplicates (a_id, b_id, reason, rank, detail, found_at) VALUES (?, ?, ?, ?, ?, ?)");
  let found = 0;
  const pair = (other: number, reason: DuplicateReason, detail: SharedDetail) => {
    const [a, b] = pairOf(id, other);
    found += add.run(a, b, reason, REASON_RANK[reason], JSON.stringify(detail), tx.now).changes;
  };
  // Strongest first: INSERT OR IGNORE keeps a pair's first reason.
  if (keys.phone) {
    for (const r of prepared<{ contact_id: number }, [string, number, number]>(tx.db, "SELECT contact_id FROM contact_match_keys WHERE phone = ? AND contact_id != ? LIMIT ?").all(keys.phone, id, PARTNERS)) pair(r.contact_id, "phone", { phone: keys.phone });
  }
  if (keys.email) {
    for (const r of prepared<{ contact_id: number }, [string, number, number]>(tx.db, "SELECT contact_id FROM contact_match_keys WHERE email = ? AND contact_id != ? LIMIT ?").all(keys.email, id, PARTNERS)) pair(r.contact_id, "email", { email: keys.email });
  }
  const addDetail = prepared(tx.db, "INSERT OR IGNORE INTO contact_match_details (key, contact_id) VALUES (?, ?)");
  const sameDetail = prepared<{ contact_id: number }, [string, number, number]>(tx.db, "SELECT contact_id FROM contact_match_details WHERE key = ? AND contact_id != ? LIMIT ?");
  for (const { key, detail } of details) {
    addDetail.run(key, id);
    for (const r of sameDetail.all(key, id, PARTNERS)) pair(r.contact_id, "name", detail);
  }
  return found;
}

/** The finder's step for contacts an event named: rescan each. */
export function rescanContacts(tx: Tx, ids: number[]): number {
  const one = prepared<ContactFacts, [number]>(tx.db, `${FACTS} WHERE id = ?`);
  let found = 0;
  for (const id of ids) found += rescan(tx, one.get(id), id);
  return found;
}

/**
 * The finder's catch-up: the next `limit` contacts changed since its mark (contacts.updated_at, then
 * id), rescanned, and the mark moved past them. Answers how many it read (0: caught up).
 */
export function rescanChangedContacts(tx: Tx, limit: number): number {
  const mark = prepared<{ updated_at: number; contact_id: number }, []>(tx.db, "SELECT updated_at, contact_id FROM contact_duplicate_scan WHERE id = 1").get() ?? { updated_at: -1, contact_id: 0 };
  const rows = prepared<ContactFacts, [number, number, number, number]>(tx.db,
    `${FACTS} WHERE updated_at > ? OR (updated_at = ? AND id > ?) ORDER BY updated_at, id LIMIT ?`,
  ).all(mark.updated_at, mark.updated_at, mark.contact_id, limit);
  for (const r of rows) rescan(tx, r, r.id);
  const last = rows[rows.length - 1];
  if (last) {
    prepared(tx.db, "INSERT INTO contact_duplicate_scan (id, updated_at, contact_id) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, contact_id = excluded.contact_id")
      .run(last.updated_at, last.id);
  }
  return rows.length;
}

export interface DuplicatePair {
  a_id: number;
  b_id: number;
  reason: DuplicateReason;
  rank: number;
  detail: string;
  found_at: number;
}

export type PairCursor = { rank: number; a: number; b: number };

export const encodePairCursor = (p: DuplicatePair) => Buffer.from(`${p.rank}.${p.a_id}.${p.b_id}`).toString("base64url");
export function decodePairCursor(s: string | undefined): PairCursor | null {
  const m = s ? /^(\d)\.(\d{1,16})\.(\d{1,16})$/.exec(Buffer.from(s, "base64url").toString()) : null;
  return m ? { rank: Number(m[1]), a: Number(m[2]), b: Number(m[3]) } : null;
}

/** Pairs still to look at: both profiles live, not dismissed; strongest reason first. */
export function listDuplicatePairs(db: Database, limit: number, after: PairCursor | null): DuplicatePair[] {
  const where = after ? "AND (d.rank, d.a_id, d.b_id) > (?, ?, ?)" : "";
  return db
    .query<DuplicatePair, number[]>(
      `SELECT d.a_id, d.b_id, d.reason, d.rank, d.detail, d.found_at FROM contact_duplicates d
       JOIN contacts a ON a.id = d.a_id AND a.merged_into IS NULL
       JOIN contacts b ON b.id = d.b_id AND b.merged_into IS NULL
       WHERE NOT EXISTS (SELECT 1 FROM contact_duplicate_dismissals x WHERE x.a_id = d.a_id AND x.b_id = d.b_id) ${where}
       ORDER BY d.rank, d.a_id, d.b_id LIMIT ?`,
    )
    .all(...(after ? [after.rank, after.a, after.b] : []), limit);
}

/** One suggested pair as listed (null: not suggested, merged away, or dismissed). */
export function duplicatePair(db: Database, x: number, y: number): DuplicatePair | null {
  const [a, b] = pairOf(x, y);
  return db
    .query<DuplicatePair, [number, number]>(
      `SELECT d.a_id, d.b_id, d.reason, d.rank, d.detail, d.found_at FROM contact_duplicates d
       JOIN contacts ca ON ca.id = d.a_id AND ca.merged_into IS NULL JOIN contacts cb ON cb.id = d.b_id AND cb.merged_into IS NULL
       WHERE d.a_id = ? AND d.b_id = ? AND NOT EXISTS (SELECT 1 FROM contact_duplicate_dismissals x WHERE x.a_id = d.a_id AND x.b_id = d.b_id)`,
    )
    .get(a, b);
}

/** "Not a duplicate": the pair is never suggested again, whatever changes; audited. */
export function dismissDuplicate(tx: Tx, x: number, y: number, userId: number | null): boolean {
  const [a, b] = pairOf(x, y);
  const r = prepared(tx.db, "INSERT OR IGNORE INTO contact_duplicate_dismissals (a_id, b_id, user_id, created_at) VALUES (?, ?, ?, ?)").run(a, b, userId, tx.now);
  if (r.changes) auditAction(tx, userId, "contact.duplicate_dismissed", { type: "contact", id: a }, { other: b });
  return r.changes > 0;
}

export interface ProfileSummary {
  conversations: number;
  last_activity: number | null;
}

/** How much history a profile holds: every conversation (the list is for admins and supervisors). */
export function profileSummary(db: Database, contactId: number): ProfileSummary {
  return db
    .query<ProfileSummary, [number]>("SELECT count(*) AS conversations, max(last_message_at) AS last_activity FROM conversations WHERE contact_id = ?")
    .get(contactId) ?? { conversations: 0, last_activity: null };
}
