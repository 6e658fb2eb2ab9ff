// What a write sees inside the writer's transaction (store/writer.ts): the database, the batch's
// clock, and where its domain events go (emitted only after COMMIT).
import type { Database } from "bun:sqlite";
import type { DomainEvent } from "../domain/events.ts";

export interface Tx {
  db: Database;
  now: number;
  emit(e: DomainEvent): void;
}
