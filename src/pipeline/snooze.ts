// Snoozed conversations come back to the queue when their time is up.
import type { Writer } from "../store/writer.ts";
import type { Store } from "../store/db.ts";
import { updateConversation } from "../store/conversations.ts";
import { dueSnoozed } from "../store/conversation-automation.ts";

export function startSnoozeWaker(store: Store, writer: Writer, everyMs = 15_000): () => void {
  const wake = async () => {
    const due = dueSnoozed(store.sqlite, Date.now(), 200);
    if (!due.length) return;
    await writer.submit((tx) => {
      for (const id of due) updateConversation(tx, id, { status: "open" }, { type: "system", id: null });
    }).catch(() => {});
  };
  const timer = setInterval(() => void wake(), everyMs);
  void wake();
  return () => clearInterval(timer);
}
