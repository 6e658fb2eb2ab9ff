// A store's background thread (the checkpoints, the search index): a Worker that never keeps the
// process alive, told to stop at shutdown and ended if it does not answer within two seconds.
type Stop = { stop: true };

export interface BackgroundThread<Request> {
  post(message: Request): void;
  /** Asks the thread to stop (it answers `{ stopped: true }`) and waits for that, two seconds at most. */
  stop(): Promise<void>;
  /** Whether it has ended (stopped, or failed). */
  readonly ended: boolean;
}

/**
 * Starts `entry`; null if it cannot start. `onMessage` hears its reports, `onFailure` its death
 * (once, never after a stop).
 */
export function startBackgroundThread<Request, Report>(
  entry: string,
  onMessage: (report: Report) => void,
  onFailure: (error: string) => void,
): BackgroundThread<Request | Stop> | { error: string } {
  let worker: Worker;
  try {
    worker = new Worker(entry);
  } catch (err) {
    return { error: String(err) };
  }
  // Never what keeps the process alive: shutdown decides when it ends.
  (worker as Worker & { unref(): void }).unref();
  let ended = false;
  let stopped: (() => void) | null = null;
  const end = () => {
    ended = true;
    worker.terminate();
    stopped?.();
  };
  worker.onmessage = (ev: MessageEvent<Report & { stopped?: true }>) => {
    onMessage(ev.data);
    if (ev.data.stopped) end();
  };
  worker.onerror = (ev: ErrorEvent) => {
    if (ended) return;
    ended = true;
    onFailure(ev.message);
  };
  return {
    post: (message) => worker.postMessage(message),
    get ended() {
      return ended;
    },
    stop() {
      if (ended) return Promise.resolve();
      // Referenced while its answer is awaited: Bun's event loop spins on an unreferenced worker's.
      (worker as Worker & { ref(): void }).ref();
      return new Promise<void>((resolve) => {
        stopped = resolve;
        worker.postMessage({ stop: true });
        // A thread stuck in a long turn is not waited for at shutdown.
        setTimeout(() => ended || end(), 2000).unref?.();
      });
    },
  };
}
