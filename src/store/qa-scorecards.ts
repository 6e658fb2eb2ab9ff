// QA scorecards (what reviewers score) and the review queue's sampling settings. A scorecard's
// criteria may change; each change raises its version, and reviews keep the criteria they were
// scored against (store/qa-reviews.ts), so an edit never rewrites a past score.
import type { Database } from "bun:sqlite";
import { z } from "zod";
import type { Writer } from "./writer.ts";
import { auditAction } from "./audit.ts";
import { PanoError } from "../domain/errors.ts";
import { MAX_CRITERIA, MAX_SCALE, criterionId, type Criterion } from "../domain/qa.ts";

const criterionInput = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, "lower-case letters, digits and dashes").optional(),
  name: z.string().trim().min(1, "must not be empty").max(100),
  guidance: z.string().trim().max(500).default(""),
  weight: z.number().int().min(1).max(100).default(1),
  scale: z.number().int().min(1).max(MAX_SCALE).default(5),
  critical: z.boolean().default(false),
});

export const scorecardInputSchema = z.object({
  name: z.string().trim().min(1, "must not be empty").max(100),
  description: z.string().trim().max(1000).default(""),
  criteria: z.array(criterionInput).min(1, "at least one criterion").max(MAX_CRITERIA),
  status: z.enum(["active", "archived"]).default("active"),
});
export type ScorecardInput = z.output<typeof scorecardInputSchema>;

export interface Scorecard {
  id: number;
  name: string;
  description: string;
  status: "active" | "archived";
  version: number;
  criteria: Criterion[];
  created_at: number;
  updated_at: number;
}

type Row = Omit<Scorecard, "criteria"> & { criteria: string };
const toScorecard = (r: Row): Scorecard => ({ ...r, criteria: JSON.parse(r.criteria) as Criterion[] });

export function listScorecards(db: Database, opts: { activeOnly?: boolean } = {}): Scorecard[] {
  return db.query<Row, []>(`SELECT * FROM qa_scorecards ${opts.activeOnly ? "WHERE status = 'active'" : ""} ORDER BY status, name, id`).all().map(toScorecard);
}

export function scorecardById(db: Database, id: number): Scorecard | null {
  const r = db.query<Row, [number]>("SELECT * FROM qa_scorecards WHERE id = ?").get(id);
  return r ? toScorecard(r) : null;
}

/** Criteria with ids: kept where given (an edit keeps its criteria's identity), made from the name otherwise. */
function withIds(criteria: ScorecardInput["criteria"]): Criterion[] {
  const given = criteria.flatMap((c) => (c.id ? [c.id] : []));
  if (new Set(given).size !== given.length) throw new PanoError("validation_failed", "criteria: two criteria have the same id", "criteria");
  const taken = new Set(given);
  return criteria.map((c) => ({ id: c.id ?? criterionId(c.name, taken), name: c.name, guidance: c.guidance, weight: c.weight, scale: c.scale, critical: c.critical }));
}

/** Creates (id null) or changes a scorecard; new criteria (anything but the name, description or status) make a new version. */
export async function saveScorecard(db: Database, writer: Writer, input: ScorecardInput, id: number | null, actorId: number): Promise<Scorecard> {
  const criteria = withIds(input.criteria);
  const current = id === null ? null : scorecardById(db, id);
  if (id !== null && !current) throw new PanoError("not_found", "Scorecard not found");
  const changed = current !== null && JSON.stringify(current.criteria) !== JSON.stringify(criteria);
  const saved = await writer.submit((tx) => {
    let savedId = id;
    if (savedId === null) {
      savedId = Number(tx.db.query("INSERT INTO qa_scorecards (name, description, status, version, criteria, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)")
        .run(input.name, input.description, input.status, JSON.stringify(criteria), tx.now, tx.now).lastInsertRowid);
    } else {
      tx.db.query("UPDATE qa_scorecards SET name = ?, description = ?, status = ?, criteria = ?, version = version + ?, updated_at = ? WHERE id = ?")
        .run(input.name, input.description, input.status, JSON.stringify(criteria), changed ? 1 : 0, tx.now, savedId);
    }
    const action = id === null ? "qa_scorecard.created" : current!.status !== input.status ? `qa_scorecard.${input.status === "archived" ? "archived" : "restored"}` : "qa_scorecard.updated";
    auditAction(tx, actorId, action, { type: "qa_scorecard", id: savedId }, { name: input.name, status: input.status, criteria });
    return savedId;
  });
  return scorecardById(db, saved)!;
}

export interface QaSettings {
  per_agent_week: number;
  complaints: boolean;
  low_csat: boolean;
}

export const qaSettingsSchema = z.object({
  per_agent_week: z.number().int().min(0).max(100),
  complaints: z.boolean(),
  low_csat: z.boolean(),
});

export const DEFAULT_QA_SETTINGS: QaSettings = { per_agent_week: 2, complaints: true, low_csat: true };

export function qaSettings(db: Database): QaSettings {
  const r = db.query<{ per_agent_week: number; complaints: number; low_csat: number }, []>("SELECT per_agent_week, complaints, low_csat FROM qa_settings WHERE id = 1").get();
  return r ? { per_agent_week: r.per_agent_week, complaints: !!r.complaints, low_csat: !!r.low_csat } : DEFAULT_QA_SETTINGS;
}

export async function saveQaSettings(writer: Writer, s: QaSettings, actorId: number): Promise<void> {
  await writer.submit((tx) => {
    tx.db.query(
      `INSERT INTO qa_settings (id, per_agent_week, complaints, low_csat, updated_at) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET per_agent_week = excluded.per_agent_week, complaints = excluded.complaints, low_csat = excluded.low_csat, updated_at = excluded.updated_at`,
    ).run(s.per_agent_week, s.complaints ? 1 : 0, s.low_csat ? 1 : 0, tx.now);
    auditAction(tx, actorId, "qa_settings.updated", { type: "qa_settings", id: 1 }, s);
  });
}
