// A background round now and then (SLA timers): the first soon after start, then every `everyMs`;
// a round still running when the next is due is not doubled, and a failed round is logged, not fatal.
export function every(everyMs: number, round: () => Promise<unknown>, onError: (err: unknown) => void): () => void {
  let busy = false;
  const run = async () => {
    if (busy) return;
    busy = true;
    try {
      await round();
    } catch (err) {
      onError(err);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(run, everyMs);
  const first = setTimeout(run, Math.min(5000, everyMs));
  return () => {
    clearInterval(timer);
    clearTimeout(first);
  };
}
