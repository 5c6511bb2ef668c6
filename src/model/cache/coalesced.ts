/**
 * Runs `write` one call at a time and no more often than needed: calls made while a write waits
 * to start share it, and the write reads its state when it starts, so it carries every change
 * made before. `settled()` is the last write scheduled (it rejects when that write failed).
 *
 * Used for the OPFS cache manifest: each write is a createWritable swap file, which OPFS queues
 * behind the sync access handles of the files being downloaded (some took over a second on two
 * busy cores); the stats a load asks for side by side now share one write.
 */
export function coalesced(write: () => Promise<void>): { (): Promise<void>; settled(): Promise<void> } {
  let last: Promise<void> = Promise.resolve();
  let waiting = false;
  const run = (): Promise<void> => {
    if (waiting) return last;
    waiting = true;
    last = last
      .catch(() => undefined) // a failed write is followed by a fresh one, which writes everything
      .then(() => {
        waiting = false;
        return write();
      });
    return last;
  };
  return Object.assign(run, { settled: () => last });
}
