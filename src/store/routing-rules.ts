// Routing rules in the routing_rules table: ordered by position, conditions and actions as JSON.
// Rules change rarely and are read for every inbound message, so readers get a cached list that
// every write replaces. Saving checks the rule (the REST API and Settings › Routing both save here).
import type { Database } from "bun:sqlite";
import type { Writer, Tx } from "./writer.ts";
import { ruleProblem, type Rule, type RuleActions, type RuleConditions } from "../domain/routing.ts";
import { PanoError } from "../domain/errors.ts";
import { teamExists } from "./teams.ts";
import { isActiveUser } from "./users.ts";
import { auditAction } from "./audit.ts";

interface RuleRow { id: number; position: number; name: string; enabled: number; conditions: string; actions: string; created_at: number }
export type StoredRule = Rule & { createdAt: number };

export interface RuleInput {
  name: string;
  enabled: boolean;
  conditions: RuleConditions;
  actions: RuleActions;
}

const toRule = (r: RuleRow): StoredRule => ({
  id: r.id, name: r.name, position: r.position, enabled: !!r.enabled,
  conditions: JSON.parse(r.conditions), actions: JSON.parse(r.actions), createdAt: r.created_at,
});

export class RoutingRules {
  private cache: StoredRule[] | null = null;

  constructor(private db: Database, private writer: Writer) {}

  list(): StoredRule[] {
    this.cache ??= this.db.query<RuleRow, []>("SELECT * FROM routing_rules ORDER BY position, id").all().map(toRule);
    return this.cache;
  }

  get(id: number): StoredRule | null {
    return this.list().find((r) => r.id === id) ?? null;
  }

  /** A new rule goes last unless a position is given; the others shift to make room. */
  async create(input: RuleInput, position: number | undefined, actorId: number): Promise<StoredRule> {
    this.check(input.conditions, input.actions);
    const id = await this.write((tx) => {
      const n = tx.db.query<{ n: number }, []>("SELECT count(*) AS n FROM routing_rules").get()!.n;
      const id = Number(
        tx.db.query("INSERT INTO routing_rules (position, name, enabled, conditions, actions, created_at) VALUES (?, ?, ?, ?, ?, ?)")
          .run(n + 1, input.name, input.enabled ? 1 : 0, JSON.stringify(input.conditions), JSON.stringify(input.actions), tx.now).lastInsertRowid,
      );
      if (position !== undefined) moveTo(tx, id, position);
      audit(tx, "routing_rule.created", id, actorId);
      return id;
    });
    return this.get(id)!;
  }

  async update(id: number, input: Partial<RuleInput>, position: number | undefined, actorId: number): Promise<StoredRule | null> {
    if (!this.get(id)) return null;
    this.check(input.conditions, input.actions);
    const found = await this.write((tx) => {
      const cur = tx.db.query<RuleRow, [number]>("SELECT * FROM routing_rules WHERE id = ?").get(id);
      if (!cur) return false;
      tx.db.query("UPDATE routing_rules SET name = ?, enabled = ?, conditions = ?, actions = ? WHERE id = ?").run(
        input.name ?? cur.name,
        input.enabled === undefined ? cur.enabled : input.enabled ? 1 : 0,
        input.conditions === undefined ? cur.conditions : JSON.stringify(input.conditions),
        input.actions === undefined ? cur.actions : JSON.stringify(input.actions),
        id,
      );
      if (position !== undefined) moveTo(tx, id, position);
      audit(tx, "routing_rule.updated", id, actorId);
      return true;
    });
    return found ? this.get(id) : null;
  }

  async remove(id: number, actorId: number): Promise<boolean> {
    return this.write((tx) => {
      const gone = tx.db.query("DELETE FROM routing_rules WHERE id = ?").run(id).changes > 0;
      if (gone) {
        renumber(tx, currentOrder(tx));
        audit(tx, "routing_rule.deleted", id, actorId);
      }
      return gone;
    });
  }

  /** Sets the whole order at once (the settings page's drag and drop); ids must be exactly the rules. */
  async reorder(ids: number[], actorId: number): Promise<boolean> {
    return this.write((tx) => {
      const have = currentOrder(tx);
      if (have.length !== ids.length || new Set(ids).size !== ids.length || !ids.every((i) => have.includes(i))) return false;
      renumber(tx, ids);
      audit(tx, "routing_rule.reordered", null, actorId);
      return true;
    });
  }

  /**
   * Everything that would break at message time is refused at save time: `validation_failed`
   * naming the field (a regex RE2 cannot run, a team or agent that does not exist, a rule that does nothing).
   */
  check(conditions: RuleConditions | undefined, actions: RuleActions | undefined): void {
    const problem = conditions && ruleProblem(conditions);
    if (problem) throw new PanoError("validation_failed", `${problem.field}: ${problem.en} (${problem.vi})`, problem.field);
    if (actions?.team_id !== undefined && !teamExists(this.db, actions.team_id))
      throw new PanoError("validation_failed", "actions.team_id: no such team", "actions.team_id");
    if (actions?.assignee_id !== undefined && !isActiveUser(this.db, actions.assignee_id))
      throw new PanoError("validation_failed", "actions.assignee_id: no such user", "actions.assignee_id");
    const quiet = actions?.quiet_hours;
    if (typeof quiet === "object") {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: quiet.timezone ?? "Asia/Ho_Chi_Minh" });
      } catch {
        throw new PanoError("validation_failed", `actions.quiet_hours.timezone: unknown time zone "${quiet.timezone}"`, "actions.quiet_hours.timezone");
      }
    }
    for (const k of ["send_zns", "send_sms"] as const) {
      const id = actions?.[k]?.channel_id;
      if (id !== undefined && !this.db.query("SELECT 1 FROM channels WHERE id = ? AND deleted_at IS NULL").get(id))
        throw new PanoError("validation_failed", `actions.${k}.channel_id: no such channel`, `actions.${k}.channel_id`);
    }
    if (actions && !Object.keys(actions).some((k) => k !== "stop_processing" && k !== "quiet_hours"))
      throw new PanoError("validation_failed", "actions: a rule must do something (team_id, priority, labels, assignee_id, auto_reply, send_zns or send_sms)", "actions");
  }

  private async write<T>(fn: (tx: Tx) => T): Promise<T> {
    try {
      return await this.writer.submit(fn);
    } finally {
      this.cache = null;
    }
  }
}

function currentOrder(tx: Tx): number[] {
  return tx.db.query<{ id: number }, []>("SELECT id FROM routing_rules ORDER BY position, id").all().map((r) => r.id);
}

function renumber(tx: Tx, ids: number[]) {
  ids.forEach((id, i) => tx.db.query("UPDATE routing_rules SET position = ? WHERE id = ?").run(i + 1, id));
}

/** Positions are 1-based; a position past the end means last. */
function moveTo(tx: Tx, id: number, position: number) {
  const order = currentOrder(tx).filter((i) => i !== id);
  order.splice(Math.max(0, Math.min(order.length, position - 1)), 0, id);
  renumber(tx, order);
}

const audit = (tx: Tx, action: string, id: number | null, actorId: number) => auditAction(tx, actorId, action, { type: "routing_rule", id });

// One instance per database, shared by the API (which writes) and the pipeline (which reads),
// so a saved rule applies to the very next message.
const shared = new WeakMap<Database, RoutingRules>();
export function routingRulesFor(db: Database, writer: Writer): RoutingRules {
  let r = shared.get(db);
  if (!r) shared.set(db, (r = new RoutingRules(db, writer)));
  return r;
}
