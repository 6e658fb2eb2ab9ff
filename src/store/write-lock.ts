// Whose turn it is to write: the main thread's writer or the ingest thread's (ingest-thread.ts).
// Both connections could leave it to SQLite, but SQLite's busy handler sleeps on the thread that
// waits, and the main thread must never sleep: it serves every page and webhook. So the two
// writers take turns through two shared cells, before BEGIN and after COMMIT. The main thread
// waits asynchronously (Atomics.waitAsync) and, past PATIENCE_MS, says it is waiting; the ingest
// thread, which may block, then lets it go first, so a stream of webhook batches cannot starve an
// agent's reply.
const HELD = 0;
const MAIN_WAITING = 1;
// A missed wake-up costs at most this long, never a hang.
const RECHECK_MS = 5;
// How long the main thread waits before the ingest thread must let it go first.
const PATIENCE_MS = 20;

export class WriteLock {
  private readonly cells: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    this.cells = new Int32Array(buffer);
  }

  tryTake(): boolean {
    return Atomics.compareExchange(this.cells, HELD, 0, 1) === 0;
  }

  /** The main thread's turn, without blocking it. */
  async take(): Promise<void> {
    const since = performance.now();
    let said = false;
    while (!this.tryTake()) {
      // Only after a while: saying so at once would park the ingest thread until this thread's
      // event loop gets round to its turn, and the ingest thread's own pauses between batches
      // (its group-commit window) are usually turn enough.
      if (!said && performance.now() - since > PATIENCE_MS) {
        said = true;
        Atomics.store(this.cells, MAIN_WAITING, 1);
      }
      const w = Atomics.waitAsync(this.cells, HELD, 1, RECHECK_MS);
      if (w.async) await w.value;
    }
    if (said) {
      Atomics.store(this.cells, MAIN_WAITING, 0);
      Atomics.notify(this.cells, MAIN_WAITING);
    }
  }

  /** The ingest thread's turn: blocks that thread, and lets a waiting main thread go first. */
  takeBlocking(): void {
    for (;;) {
      while (Atomics.load(this.cells, MAIN_WAITING) === 1) Atomics.wait(this.cells, MAIN_WAITING, 1, RECHECK_MS);
      if (this.tryTake()) return;
      Atomics.wait(this.cells, HELD, 1, RECHECK_MS);
    }
  }

  release(): void {
    Atomics.store(this.cells, HELD, 0);
    Atomics.notify(this.cells, HELD);
  }
}
