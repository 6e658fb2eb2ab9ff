// The Zalo channel's background checks (token refresh, ZNS template sync) run the same way: now,
// then every so often, and stopping waits for a check under way so no write outlives the channel.
export function ticker(everyMs: number, tick: () => Promise<unknown> | undefined): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    if (stopped) return;
    running = tick() ?? running;
  };
  run();
  const timer = setInterval(run, everyMs);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
