// Litestream carries the database; attachments and the secret key are plain files, copied to
// the replica by this loop. They are content-addressed and never change, so "not copied yet"
// is the whole state.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../log.ts";
import type { ReplicaStore } from "./replica-store.ts";
import { attachmentFiles } from "./snapshot.ts";
import { KEY_FILES } from "./key-files.ts";

export class FileSync {
  private copied: Set<string> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<number> | null = null;
  pending = 0;
  lastRunAt: number | null = null;
  lastError: string | null = null;

  constructor(private dataDir: string, private store: ReplicaStore, private log: Logger) {}

  start(intervalMs: number): void {
    void this.sync();
    this.timer = setInterval(() => void this.sync(), intervalMs);
  }

  /** Copies what is missing; one run at a time. Returns how many files it copied. */
  sync(): Promise<number> {
    this.running ??= this.copyMissing().finally(() => (this.running = null));
    return this.running;
  }

  private async copyMissing(): Promise<number> {
    try {
      this.copied ??= new Set(await this.store.list(""));
      const local = attachmentFiles(this.dataDir);
      for (const k of KEY_FILES) if (existsSync(join(this.dataDir, k))) local.push(k);
      const todo = local.filter((f) => !this.copied!.has(f));
      this.pending = todo.length;
      for (const f of todo) {
        await this.store.put(f, Bun.file(join(this.dataDir, f)));
        this.copied.add(f);
        this.pending--;
      }
      this.lastRunAt = Date.now();
      this.lastError = null;
      return todo.length;
    } catch (err) {
      const msg = String((err as Error)?.message ?? err);
      if (msg !== this.lastError) this.log("error", "copying attachments to the replica failed", { error: msg });
      this.lastError = msg;
      return 0;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sync(); // files written during the last seconds leave with the final sync
  }
}
