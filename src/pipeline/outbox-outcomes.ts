// What the outbox's sends came to, written to disk before each conversation's next reply may go.
// Outcomes reported while a writer job waits are written by that one job, which also reads each
// lane's next reply inside its transaction (no read lock of its own).
import { StoreUnavailable, type Tx, type Writer } from "../store/writer.ts";
import { markFailed, markRetry, markSent, type ClaimedRow } from "../store/outbound.ts";
import type { OutboundMessage } from "../domain/message.ts";

export type Settlement =
  | { kind: "sent"; row: ClaimedRow; externalId: string; extra?: string[]; meta?: Record<string, unknown> }
  | { kind: "retry"; row: ClaimedRow; dueAt: number; reason: string }
  | { kind: "failed"; row: ClaimedRow; reason: string; reasonVi: string | null };

/** The outbox's writer jobs only read and write the database: the writer may run them again after a rollback. */
export const RERUNNABLE = { rerunnable: true };

/** A reply read for sending: undefined when not read yet, null when it is gone. */
export type Loaded = OutboundMessage | null | undefined;

interface Pending { s: Settlement; next?: ClaimedRow; loaded?: Loaded; done: (next: Loaded) => void; fail: (err: unknown) => void }

function write(tx: Tx, s: Settlement): void {
  if (s.kind === "sent") markSent(tx, s.row.id, s.row.message_id, s.externalId, s.extra, s.meta);
  else if (s.kind === "retry") markRetry(tx, s.row.id, s.row.message_id, s.dueAt, s.reason);
  else markFailed(tx, s.row.id, s.row.message_id, s.reason, s.reasonVi);
}

export class Outcomes {
  private pending: Pending[] = [];
  private queued = false;

  constructor(private writer: Writer, private load: (rows: ClaimedRow[]) => Loaded[]) {}

  /**
   * Resolves once the outcome is committed, with `next` read (when given). If the shared job fails
   * for something other than the disk, each outcome is written on its own, so one bad row cannot
   * keep the others from being recorded.
   */
  record(s: Settlement, next?: ClaimedRow): Promise<Loaded> {
    return new Promise((done, fail) => {
      this.pending.push({ s, next, done, fail });
      if (this.queued) return;
      this.queued = true;
      let taken: Pending[] | null = null;
      this.writer
        .submit((tx) => {
          // Taken on the first run; a rerun (the writer's, after a rollback) writes the same ones.
          if (!taken) {
            this.queued = false;
            taken = this.pending.splice(0);
          }
          for (const p of taken) write(tx, p.s);
          const nexts = taken.filter((p) => p.next);
          if (nexts.length) this.load(nexts.map((p) => p.next!)).forEach((m, i) => (nexts[i].loaded = m));
        }, RERUNNABLE)
        .then(
          () => taken!.forEach((p) => p.done(p.loaded)),
          (err) => {
            if (!taken) {
              // The job never ran (the writer is closed or the disk refused the transaction).
              this.queued = false;
              taken = this.pending.splice(0);
            }
            const batch: Pending[] = taken;
            if (err instanceof StoreUnavailable) return batch.forEach((p) => p.fail(err));
            for (const p of batch) this.writer.submit((tx) => write(tx, p.s), RERUNNABLE).then(() => p.done(undefined), p.fail);
          },
        );
    });
  }
}
