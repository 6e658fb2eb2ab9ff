// The background duplicate finder (docs/customer-history.md): keeps store/contact-duplicates.ts's
// keys and pairs current without any request scanning the contacts. A contact event rescans that
// contact within a moment; a catch-up pass every minute reads the contacts changed since its mark
// (the first pass, on a database that had none, reads them all, 200 per write transaction), which
// also covers changes that emit no event (a profile fetch filling a phone).
import type { Writer } from "../store/writer.ts";
import type { EventBus } from "./events.ts";
import type { Logger } from "../log.ts";
import { rescanChangedContacts, rescanContacts } from "../store/contact-duplicates.ts";
import { CoalescedRun } from "./coalesced-run.ts";

// Small enough that ingest waits at most a few tens of milliseconds behind one batch of the first pass.
const BATCH = 200;

/**
 * `catchUp`: whether this instance runs the catch-up pass now. With several instances only the
 * leader does (two passes from one shared mark would rescan the same contacts in two transactions);
 * each instance still rescans at once the contacts its own commits touched, which also covers a
 * contact whose transaction committed after the leader's pass had read past its time.
 */
export function startDuplicateFinder(d: { writer: Writer; events: EventBus; log: Logger }, opts: { everyMs?: number; settleMs?: number; catchUp?: () => boolean } = {}): () => void {
  const pending = new Set<number>();
  let stopped = false;
  let soon: ReturnType<typeof setTimeout> | null = null;

  const work = async () => {
    if (stopped) return;
    const ids = [...pending];
    pending.clear();
    for (let i = 0; i < ids.length; i += BATCH) await d.writer.submit((tx) => rescanContacts(tx, ids.slice(i, i + BATCH)));
    while (!stopped && (opts.catchUp?.() ?? true) && (await d.writer.submit((tx) => rescanChangedContacts(tx, BATCH))) === BATCH);
  };
  // One pass at a time; a nudge during a pass means one more right after it.
  const runs = new CoalescedRun(() => work().catch((err) => d.log("warn", "duplicate finder failed", { error: String(err) })));
  const run = () => void (stopped || runs.kick());
  const nudge = (contactId: number) => {
    pending.add(contactId);
    soon ??= setTimeout(() => {
      soon = null;
      run();
    }, opts.settleMs ?? 200);
  };
  const offs = [d.events.on("contact.created", (e) => nudge(e.contactId)), d.events.on("contact.updated", (e) => nudge(e.contactId))];
  const timer = setInterval(run, opts.everyMs ?? 60_000);
  run();
  return () => {
    stopped = true;
    clearInterval(timer);
    if (soon) clearTimeout(soon);
    for (const off of offs) off();
  };
}
