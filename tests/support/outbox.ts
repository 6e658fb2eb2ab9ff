// What Pano's outbox still holds for a reply, read from its database (read-only). A reply that
// will be sent or retried has a row; a settled one (sent, or failed for good) has none, so no
// further attempt can come: the positive form of "it was not retried".
import { openDatabaseOf, type PanoProcess } from "./pano.ts";

export function pendingSends(pano: PanoProcess, messageId: string): number {
  const db = openDatabaseOf(pano.dataDir);
  try {
    return db.query<{ n: number }, [number]>("SELECT count(*) AS n FROM outbox WHERE message_id = ?").get(Number(messageId))!.n;
  } finally {
    db.close();
  }
}
