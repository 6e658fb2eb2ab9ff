// What the composer asks before a reply goes out: a colleague answered this customer after the
// agent started writing (collision), or the reply still holds variables without a value. The
// agent confirms (the form's confirm=1) or goes back to edit.
import type { Database } from "bun:sqlite";
import { unfilledVariables } from "../domain/reply-variables.ts";
import { repliersAfter } from "../store/recent-replies.ts";

export interface ReplyQuestions {
  /** Colleagues who replied since `seen`, the newest message the agent's screen had when they started typing. */
  repliers: string[];
  missing: string[];
}

export function replyQuestions(db: Database, conversationId: number, userId: number, text: string, seen: number | null): ReplyQuestions | null {
  const repliers = seen === null ? [] : repliersAfter(db, conversationId, seen, userId);
  const missing = unfilledVariables(text);
  return repliers.length || missing.length ? { repliers, missing } : null;
}

/** The form's `seen` field: a message id, or null when the page did not say (no script). */
export const seenField = (v: unknown): number | null => (typeof v === "string" && /^\d{1,15}$/.test(v) ? Number(v) : null);
