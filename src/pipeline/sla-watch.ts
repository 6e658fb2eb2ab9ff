// The SLA timer behind notifications: once a minute, each conversation still being worked whose
// policy (sla_policies) has a target falling due is looked at; its holder is told once when the
// target comes near (amber: the last quarter of its business time) and once when it is missed (red).
import type { Database } from "bun:sqlite";
import type { Logger } from "../log.ts";
import type { Delivery } from "./notification-delivery.ts";
import { nextDue, slaLevel } from "../domain/sla.ts";
import { slaLookup } from "../store/sla-policies.ts";
import { contactName } from "../store/contacts.ts";
import { slaWatchedConversations } from "../store/notifications.ts";
import { every } from "./every.ts";

export function slaDeliveries(db: Database, now: number, told: Set<string>): Delivery[] {
  const lookup = slaLookup(db);
  const out: Delivery[] = [];
  for (const c of slaWatchedConversations(db)) {
    const scope = lookup(c.team_id, c.priority);
    if (!scope) continue;
    const due = nextDue({ createdAt: c.created_at, firstResponseAt: c.first_response_at, waitingSince: c.waiting_since, resolvedAt: c.resolved_at, status: c.status }, scope.policy, scope.hours);
    if (!due || !Number.isFinite(due.dueAt)) continue;
    const level = slaLevel(due, now, scope.hours);
    if (level === "ok") continue;
    const dedupe = `sla:${c.id}:${due.target}:${due.dueAt}:${level}`;
    if (told.has(`${c.assignee_id}:${dedupe}`)) continue;
    told.add(`${c.assignee_id}:${dedupe}`);
    const contact = contactName(db, c.contact_id) ?? undefined;
    out.push({ userId: c.assignee_id, kind: "sla", conversationId: c.id, dedupe, once: true, data: () => ({ contact, target: due.target, level, dueAt: due.dueAt, preview: c.last_preview }) });
  }
  return out;
}

/** Looks soon after start and then every `everyMs`. */
export function watchSla(d: { db: Database; deliver: (items: Delivery[]) => Promise<void>; everyMs: number; log: Logger; now?: () => number }): () => void {
  // Told this run, for people who keep no bell rows (in_app off): the stored key covers the rest.
  const told = new Set<string>();
  return every(d.everyMs, async () => {
    const items = slaDeliveries(d.db, (d.now ?? Date.now)(), told);
    if (items.length) await d.deliver(items);
  }, (err) => d.log("error", "SLA check failed", { error: String(err) }));
}
