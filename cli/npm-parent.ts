// When npm started this process (`npm start`, `npm run serve`) and npm itself is killed without a chance to forward
// the signal (kill -9), the server must not live on as an orphan holding its ports: it stops as if signalled.
// idsim issue #15 item 1.

/** Calls `stop` once the npm process that started this one is gone; does nothing when npm did not start it. */
export function stopWhenNpmParentDies(stop: () => void, intervalMs = 1000): void {
  if (process.env.npm_lifecycle_event === undefined) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      stop();
    }
  }, intervalMs);
  timer.unref();
}
