// Snoozed conversations come back to the queue when their time is up.
import type { Writer } from "../store/writer.ts";
import type { Store } from "../store/db.ts";
import { updateConversation } from "../store/conversations.ts";

export function startSnoozeWaker(store: Store, writer: Writer, everyMs = 15_000): () => void {
  const wake = async () => {
    const due = store.sqlite.query<{ id: number }, [number]>("SELECT id FROM conversations WHERE status = 'snoozed' AND snoozed_until IS NOT NULL AND snoozed_until <= ? LIMIT 200").all(Date.now());
    if (!due.length) return;
    await writer.submit((tx) => {
      for (const c of due) updateConversation(tx, c.id, { status: "open" }, { type: "system", id: null });
    }).catch(() => {});
  };
  const timer = setInterval(() => void wake(), everyMs);
  void wake();
  return () => clearInterval(timer);
}
