// Macros: saved sets of actions (domain/macro.ts). The REST API and Settings › Macros both save
// through Macros.save, so the rules live once: a valid action list, targets that exist, the saver
// allowed to share it and to do each action, and an audit row.
import type { Database } from "bun:sqlite";
import { z } from "zod";
import type { Tx, Writer } from "./writer.ts";
import type { Viewer } from "../domain/conversation.ts";
import { CONVERSATION_STATUSES, PRIORITIES } from "../domain/conversation.ts";
import { ACTION_ORDER, actionRefusal, macroManageable, macroVisible, type MacroAction } from "../domain/macro.ts";
import { unknownVariables } from "../domain/reply-variables.ts";
import { PanoError } from "../domain/errors.ts";
import { cleanName } from "../domain/text.ts";
import { auditAction } from "./audit.ts";
import { teamExists } from "./teams.ts";
import { isActiveUser } from "./users.ts";

export interface MacroRow {
  id: number;
  name: string;
  team_id: number | null;
  owner_id: number | null;
  actions: string;
  created_by: number | null;
  created_at: number;
  updated_at: number;
}

export type Visibility = "personal" | "team" | "everyone";

export const visibilityOf = (m: Pick<MacroRow, "team_id" | "owner_id">): Visibility => (m.owner_id !== null ? "personal" : m.team_id !== null ? "team" : "everyone");
export const actionsOf = (m: Pick<MacroRow, "actions">): MacroAction[] => JSON.parse(m.actions);

const id = z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(Number);
const text = z.string().trim().min(1).max(5000);
const labels = z.array(z.string().trim().min(1).max(50)).min(1).max(20);

export const macroActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("reply"), text }),
  z.object({ type: z.literal("note"), text }),
  z.object({ type: z.literal("add_labels"), labels }),
  z.object({ type: z.literal("remove_labels"), labels }),
  z.object({ type: z.literal("assign"), assignee_id: z.union([z.literal("me"), id, z.null()]) }),
  z.object({ type: z.literal("team"), team_id: z.union([id, z.null()]) }),
  z.object({ type: z.literal("status"), status: z.enum(CONVERSATION_STATUSES.filter((s) => s !== "snoozed") as ["open", "pending", "resolved"]) }),
  z.object({ type: z.literal("priority"), priority: z.enum(PRIORITIES) }),
]);

/** What the REST API takes (the settings form builds the same object). */
export const macroInputSchema = z.object({
  name: z.string().transform((s) => cleanName(s) ?? "").pipe(z.string().min(1).max(100)),
  visibility: z.enum(["personal", "team", "everyone"]).default("personal"),
  team_id: z.union([id, z.null()]).default(null),
  actions: z.array(macroActionSchema).min(1).max(ACTION_ORDER.length),
});
export type MacroInput = z.infer<typeof macroInputSchema>;

/** Who saves or runs: a person (settings, inbox) or a token's person (API); both act as their viewer. */
export interface Saver {
  viewer: Viewer;
  via: "user" | "api";
}

/** What is wrong with a macro being saved, for a form to say in its reader's words. */
export type MacroProblem = "shared_by_agent" | "team_missing" | "no_team" | "no_user" | "twice" | "team_not_visible" | "unknown_variable";

export class MacroInvalid extends PanoError {
  constructor(code: "validation_failed" | "forbidden", message: string, field: string | undefined, public problem: MacroProblem, public names: string[] = []) {
    super(code, message, field);
  }
}

export class Macros {
  constructor(private db: Database, private writer: Writer) {}

  get(id: number): MacroRow | null {
    return this.db.query<MacroRow, [number]>("SELECT * FROM macros WHERE id = ?").get(id);
  }

  /** What this person may see and run: everyone's, their teams' (all shared ones for admins and supervisors), their own. */
  visibleTo(viewer: Viewer): MacroRow[] {
    return this.db.query<MacroRow, [number]>("SELECT * FROM macros WHERE owner_id IS NULL OR owner_id = ? ORDER BY name COLLATE NOCASE, id").all(viewer.userId)
      .filter((m) => macroVisible(viewer, m));
  }

  /** One macro by id, or null when it does not exist for this viewer (the same rule as the list). */
  getVisible(viewer: Viewer, id: number): MacroRow | null {
    const m = this.get(id);
    return m && macroVisible(viewer, m) ? m : null;
  }

  /** The input checked against the data and the saver's rights; throws PanoError naming the field. */
  private check(input: MacroInput, saver: Saver): { teamId: number | null; ownerId: number | null; actions: MacroAction[] } {
    const v = saver.viewer;
    if (input.visibility !== "personal" && v.role === "agent") throw new MacroInvalid("forbidden", "Agents keep personal macros only; an admin or supervisor shares them", "visibility", "shared_by_agent");
    if (input.visibility === "team" && input.team_id === null) throw new MacroInvalid("validation_failed", "team_id: a team macro names its team", "team_id", "team_missing");
    const teamId = input.visibility === "team" ? input.team_id : null;
    if (teamId !== null && !teamExists(this.db, teamId)) throw new MacroInvalid("validation_failed", `team_id: no team ${teamId}`, "team_id", "no_team");
    const seen = new Set<string>();
    for (const [i, a] of input.actions.entries()) {
      const field = `actions.${i}`;
      if (seen.has(a.type)) throw new MacroInvalid("validation_failed", `${field}.type: "${a.type}" appears twice; one of each`, `${field}.type`, "twice");
      seen.add(a.type);
      if (a.type === "assign" && typeof a.assignee_id === "number" && !isActiveUser(this.db, a.assignee_id)) throw new MacroInvalid("validation_failed", `${field}.assignee_id: no such user`, `${field}.assignee_id`, "no_user");
      if (a.type === "team" && a.team_id !== null && !teamExists(this.db, a.team_id)) throw new MacroInvalid("validation_failed", `${field}.team_id: no such team`, `${field}.team_id`, "no_team");
      if (actionRefusal(v, a)) throw new MacroInvalid("forbidden", `${field}: you may not move conversations to a team you are not in`, `${field}.team_id`, "team_not_visible");
      if (a.type === "reply" || a.type === "note") {
        const bad = unknownVariables(a.text);
        if (bad.length) throw new MacroInvalid("validation_failed", `${field}.text: unknown variable ${bad.join(", ")}`, `${field}.text`, "unknown_variable", bad);
      }
    }
    return { teamId, ownerId: input.visibility === "personal" ? v.userId : null, actions: input.actions };
  }

  /** Creates (id null) or replaces a macro; the caller has checked it may manage an existing one. */
  async save(id: number | null, input: MacroInput, saver: Saver): Promise<MacroRow> {
    const c = this.check(input, saver);
    const saved = await this.writer.submit((tx) => {
      let mid = id;
      if (mid === null) {
        mid = Number(tx.db.query("INSERT INTO macros (name, team_id, owner_id, actions, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
          .run(input.name, c.teamId, c.ownerId, JSON.stringify(c.actions), saver.viewer.userId, tx.now, tx.now).lastInsertRowid);
      } else {
        tx.db.query("UPDATE macros SET name = ?, team_id = ?, owner_id = ?, actions = ?, updated_at = ? WHERE id = ?").run(input.name, c.teamId, c.ownerId, JSON.stringify(c.actions), tx.now, mid);
      }
      auditAction(tx, saver.viewer.userId, id === null ? "macro.created" : "macro.updated", { type: "macro", id: mid }, { name: input.name, visibility: input.visibility, team_id: c.teamId, via: saver.via });
      return mid;
    });
    return this.get(saved)!;
  }

  async remove(m: MacroRow, saver: Saver): Promise<void> {
    await this.writer.submit((tx) => {
      tx.db.query("DELETE FROM macros WHERE id = ?").run(m.id);
      auditAction(tx, saver.viewer.userId, "macro.deleted", { type: "macro", id: m.id }, { name: m.name, via: saver.via });
    });
  }

  /** A macro this viewer may change, or a not-found / forbidden error. */
  manageable(viewer: Viewer, id: number): MacroRow {
    const m = this.getVisible(viewer, id);
    if (!m) throw new PanoError("not_found", "Macro not found");
    if (!macroManageable(viewer, m)) throw new PanoError("forbidden", "Only an admin or supervisor changes a shared macro");
    return m;
  }
}

/** The timeline's "X ran macro Y" line, written in the same transaction as what the macro did. */
export function recordMacroRun(tx: Tx, m: MacroRow, conversationId: number, userId: number): void {
  tx.db.query("INSERT INTO audit_log (actor_type, actor_id, action, conversation_id, subject_type, subject_id, data, created_at) VALUES ('user', ?, 'macro.applied', ?, 'macro', ?, ?, ?)")
    .run(userId, conversationId, m.id, JSON.stringify({ to: m.name }), tx.now);
}
