// A shop's own categories: the tags and examples admins keep, the examples agents' labels add, and
// the suggestions put on a conversation. The model itself is never stored: it is learned from
// these examples (pipeline/categories.ts) whenever they change.
import type { Database } from "bun:sqlite";
import type { Writer, Tx } from "./writer.ts";
import { prepared } from "./prepared.ts";
import { auditAction } from "./audit.ts";
import { PanoError } from "../domain/errors.ts";
import { tagKey, type CategoryExample, type Suggestion } from "../domain/triage/custom-categories.ts";

export interface Category { id: number; tag: string; examples: string[]; fromLabels: boolean; createdAt: number; updatedAt: number }
export interface CategoryInput { tag: string; examples: string[]; fromLabels: boolean }

interface Row { id: number; tag: string; examples: string; from_labels: number; created_at: number; updated_at: number }
const COLS = "id, tag, examples, from_labels, created_at, updated_at";
const toCategory = (r: Row): Category => ({ id: r.id, tag: r.tag, examples: JSON.parse(r.examples), fromLabels: !!r.from_labels, createdAt: r.created_at, updatedAt: r.updated_at });


export function listCategories(db: Database): Category[] {
  return db.query<Row, []>(`SELECT ${COLS} FROM categories ORDER BY tag`).all().map(toCategory);
}

export function categoryById(db: Database, id: number): Category | null {
  const r = db.query<Row, [number]>(`SELECT ${COLS} FROM categories WHERE id = ?`).get(id);
  return r ? toCategory(r) : null;
}

export async function saveCategory(db: Database, writer: Writer, input: CategoryInput, id: number | null, actorId: number): Promise<Category> {
  const key = tagKey(input.tag);
  if (db.query("SELECT 1 FROM categories WHERE tag_key = ? AND id IS NOT ?").get(key, id)) throw new PanoError("conflict", `tag: "${input.tag}" already exists`, "tag");
  const saved = await writer.submit((tx) => {
    const examples = JSON.stringify(input.examples);
    let savedId = id;
    if (savedId === null) {
      savedId = Number(tx.db.query("INSERT INTO categories (tag, tag_key, examples, from_labels, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .run(input.tag, key, examples, input.fromLabels ? 1 : 0, actorId, tx.now, tx.now).lastInsertRowid);
    } else {
      tx.db.query("UPDATE categories SET tag = ?, tag_key = ?, examples = ?, from_labels = ?, updated_at = ? WHERE id = ?").run(input.tag, key, examples, input.fromLabels ? 1 : 0, tx.now, savedId);
    }
    auditAction(tx, actorId, id === null ? "category.created" : "category.updated", { type: "category", id: savedId }, { tag: input.tag, examples: input.examples.length, from_labels: input.fromLabels });
    return savedId;
  });
  return categoryById(db, saved)!;
}

export async function deleteCategory(writer: Writer, id: number, actorId: number): Promise<boolean> {
  return writer.submit((tx) => {
    const gone = tx.db.query("DELETE FROM categories WHERE id = ?").run(id).changes > 0;
    if (gone) auditAction(tx, actorId, "category.deleted", { type: "category", id });
    return gone;
  });
}

/** Conversations looked at per tag for examples from agents' labels, newest first. */
const LABELLED_SCAN = 2000;
const LABELLED_KEEP = 50;

/**
 * The first customer message of recent conversations an agent labelled with the tag (compared
 * without case or diacritics): what agents have already judged to belong to it.
 */
export function labelledExamples(db: Database, tag: string): string[] {
  const key = tagKey(tag);
  const rows = db.query<{ labels: string; text: string | null }, [number]>(
    `SELECT c.labels, (SELECT m.text FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'in' AND m.private = 0 ORDER BY m.id LIMIT 1) AS text
     FROM (SELECT id, labels FROM conversations WHERE labels != '[]' ORDER BY id DESC LIMIT ?) c`,
  ).all(LABELLED_SCAN);
  const out: string[] = [];
  for (const r of rows) {
    if (!r.text?.trim()) continue;
    if ((JSON.parse(r.labels) as string[]).some((l) => tagKey(l) === key)) out.push(r.text.slice(0, 1000));
    if (out.length >= LABELLED_KEEP) break;
  }
  return out;
}

/** Everything the learner learns from: each tag's own examples, and its labelled conversations when asked. */
export function learningExamples(db: Database): CategoryExample[] {
  return listCategories(db).flatMap((c) => [
    ...c.examples.map((text) => ({ tag: c.tag, text })),
    ...(c.fromLabels ? labelledExamples(db, c.tag).map((text) => ({ tag: c.tag, text })) : []),
  ]);
}

export function conversationCategories(db: Database, conversationId: number): Suggestion[] {
  const raw = prepared<{ categories: string }, [number]>(db, "SELECT categories FROM conversations WHERE id = ?").get(conversationId)?.categories;
  return raw ? (JSON.parse(raw) as Suggestion[]) : [];
}

/** A message's suggestions join the conversation's: each tag keeps its highest confidence. */
export function addConversationCategories(tx: Tx, conversationId: number, found: Suggestion[]): boolean {
  if (!found.length) return false;
  const cur = conversationCategories(tx.db, conversationId);
  const merged = new Map(cur.map((s) => [s.tag, s.confidence]));
  let changed = false;
  for (const s of found) {
    const c = Math.round(s.confidence * 100) / 100;
    if ((merged.get(s.tag) ?? -1) < c) merged.set(s.tag, c), (changed = true);
  }
  if (!changed) return false;
  const list = [...merged].map(([tag, confidence]) => ({ tag, confidence })).sort((a, b) => b.confidence - a.confidence);
  prepared(tx.db, "UPDATE conversations SET categories = ? WHERE id = ?").run(JSON.stringify(list), conversationId);
  tx.emit({ type: "conversation.updated", conversationId, changes: ["categories"], actorId: null });
  return true;
}
