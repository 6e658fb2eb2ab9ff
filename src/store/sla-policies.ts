// SLA policies (targets per team and priority) and teams' business hours: saving them, and the
// one lookup every reader uses (policyFor): the most specific policy wins.
import type { Database } from "bun:sqlite";
import { z } from "zod";
import type { Writer } from "./writer.ts";
import { auditAction } from "./audit.ts";
import { teamExists } from "./teams.ts";
import { PanoError } from "../domain/errors.ts";
import { PRIORITIES } from "../domain/conversation.ts";
import { parseBusinessHours, type BusinessHours, type BusinessHoursInput, type SlaPolicy } from "../domain/sla.ts";

const minutes = z.number().int().min(1).max(366 * 1440).nullable();
const id = z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number);

export const slaPolicyInputSchema = z.object({
  team_id: id.nullable().default(null),
  priority: z.enum(PRIORITIES).nullable().default(null),
  first_response_minutes: minutes.default(null),
  next_response_minutes: minutes.default(null),
  resolution_minutes: minutes.default(null),
  /** What a breach does (domain/sla-breach.ts); null or {} does nothing but record and notify. */
  on_breach: z.object({
    priority: z.enum(PRIORITIES).optional(),
    team_id: id.optional(),
    assignee_id: id.nullable().optional(),
  }).strict().nullable().default(null),
});
export type SlaPolicyInput = Omit<z.output<typeof slaPolicyInputSchema>, "on_breach"> & { on_breach?: z.output<typeof slaPolicyInputSchema>["on_breach"] };

export interface SlaPolicyRow {
  id: number;
  team_id: number | null;
  priority: string | null;
  first_response_minutes: number | null;
  next_response_minutes: number | null;
  resolution_minutes: number | null;
  breach_actions: string | null;
  created_at: number;
}

const COLS = "id, team_id, priority, first_response_minutes, next_response_minutes, resolution_minutes, breach_actions, created_at";

export function listSlaPolicies(db: Database): SlaPolicyRow[] {
  return db.query<SlaPolicyRow, []>(`SELECT ${COLS} FROM sla_policies ORDER BY id`).all();
}

export function slaPolicyById(db: Database, policyId: number): SlaPolicyRow | null {
  return db.query<SlaPolicyRow, [number]>(`SELECT ${COLS} FROM sla_policies WHERE id = ?`).get(policyId);
}

/** Creates (id null) or replaces a policy. One policy per team and priority: a second is a conflict. */
export async function saveSlaPolicy(db: Database, writer: Writer, input: SlaPolicyInput, policyId: number | null, actorId: number): Promise<SlaPolicyRow> {
  if (input.first_response_minutes === null && input.next_response_minutes === null && input.resolution_minutes === null) {
    throw new PanoError("validation_failed", "first_response_minutes: at least one target is needed", "first_response_minutes");
  }
  if (input.team_id !== null && !teamExists(db, input.team_id)) throw new PanoError("validation_failed", `team_id: no team ${input.team_id}`, "team_id");
  if (input.on_breach?.team_id !== undefined && !teamExists(db, input.on_breach.team_id)) throw new PanoError("validation_failed", `on_breach.team_id: no team ${input.on_breach.team_id}`, "on_breach.team_id");
  const handTo = input.on_breach?.assignee_id;
  if (handTo != null && !db.query("SELECT 1 FROM users WHERE id = ? AND disabled_at IS NULL").get(handTo)) throw new PanoError("validation_failed", `on_breach.assignee_id: no active user ${handTo}`, "on_breach.assignee_id");
  if (db.query("SELECT 1 FROM sla_policies WHERE team_id IS ? AND priority IS ? AND id IS NOT ?").get(input.team_id, input.priority, policyId)) {
    throw new PanoError("conflict", "A policy for this team and priority already exists", "priority");
  }
  const saved = await writer.submit((tx) => {
    const onBreach = input.on_breach && Object.keys(input.on_breach).length ? JSON.stringify(input.on_breach) : null;
    const args = [input.team_id, input.priority, input.first_response_minutes, input.next_response_minutes, input.resolution_minutes, onBreach] as const;
    let savedId = policyId;
    if (savedId === null) {
      savedId = Number(tx.db.query("INSERT INTO sla_policies (team_id, priority, first_response_minutes, next_response_minutes, resolution_minutes, breach_actions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)").run(...args, tx.now).lastInsertRowid);
    } else {
      tx.db.query("UPDATE sla_policies SET team_id = ?, priority = ?, first_response_minutes = ?, next_response_minutes = ?, resolution_minutes = ?, breach_actions = ? WHERE id = ?").run(...args, savedId);
    }
    auditAction(tx, actorId, policyId === null ? "sla_policy.created" : "sla_policy.updated", { type: "sla_policy", id: savedId }, input);
    return savedId;
  });
  return slaPolicyById(db, saved)!;
}

export async function deleteSlaPolicy(writer: Writer, policyId: number, actorId: number): Promise<boolean> {
  return writer.submit((tx) => {
    const gone = tx.db.query("DELETE FROM sla_policies WHERE id = ?").run(policyId).changes > 0;
    if (gone) auditAction(tx, actorId, "sla_policy.deleted", { type: "sla_policy", id: policyId });
    return gone;
  });
}

/** A team's business hours as given ({time_zone, hours, holidays}); null clears them (wall clock). */
export async function saveBusinessHours(writer: Writer, teamId: number, input: BusinessHoursInput | null, actorId: number): Promise<void> {
  if (input !== null) {
    const parsed = parseBusinessHours(input);
    if (typeof parsed === "string") throw new PanoError("validation_failed", `business_hours.${parsed}`, "business_hours");
  }
  await writer.submit((tx) => {
    tx.db.query("UPDATE teams SET business_hours = ? WHERE id = ?").run(input === null ? null : JSON.stringify(input), teamId);
    auditAction(tx, actorId, "team.business_hours", { type: "team", id: teamId }, input);
  });
}

export function businessHoursInput(db: Database, teamId: number): BusinessHoursInput | null {
  const raw = db.query<{ business_hours: string | null }, [number]>("SELECT business_hours FROM teams WHERE id = ?").get(teamId)?.business_hours;
  return raw ? (JSON.parse(raw) as BusinessHoursInput) : null;
}

export interface SlaScope { policy: SlaPolicy; hours: BusinessHours | null }

/**
 * Every policy and team's hours read once, as a lookup: (team, priority) -> the most specific
 * policy (team and priority, then team, then priority, then the default) and the team's hours.
 * Null when no policy applies. Reports and the queue call it per conversation.
 */
/** The breach actions (raw JSON) of the policy that applies to (team, priority), as slaLookup picks it. */
export function breachActionsLookup(db: Database): (teamId: number | null, priority: string) => string | null {
  const policies = listSlaPolicies(db);
  return (teamId, priority) => mostSpecific(policies, teamId, priority)?.breach_actions ?? null;
}

const rank = (p: SlaPolicyRow) => (p.team_id === null ? 2 : 0) + (p.priority === null ? 1 : 0);
const mostSpecific = (policies: SlaPolicyRow[], teamId: number | null, priority: string) =>
  policies.filter((p) => (p.team_id === null || p.team_id === teamId) && (p.priority === null || p.priority === priority)).sort((a, b) => rank(a) - rank(b))[0];

export function slaLookup(db: Database): (teamId: number | null, priority: string) => SlaScope | null {
  const policies = listSlaPolicies(db);
  const hours = new Map<number, BusinessHours | null>();
  for (const t of db.query<{ id: number; business_hours: string | null }, []>("SELECT id, business_hours FROM teams").all()) {
    const parsed = t.business_hours ? parseBusinessHours(JSON.parse(t.business_hours)) : null;
    hours.set(t.id, typeof parsed === "string" ? null : parsed);
  }
  return (teamId, priority) => {
    if (!policies.length) return null;
    const match = mostSpecific(policies, teamId, priority);
    if (!match) return null;
    return {
      policy: { firstResponseMinutes: match.first_response_minutes, nextResponseMinutes: match.next_response_minutes, resolutionMinutes: match.resolution_minutes },
      hours: teamId === null ? null : hours.get(teamId) ?? null,
    };
  };
}
