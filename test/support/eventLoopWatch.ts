/**
 * Watches the event loop with a 10 ms timer while work is awaited: how often
 * the timer ran, and the longest gap between two of its runs. A thread held by
 * the work shows as few ticks and a gap as long as the work.
 */
export async function watchEventLoop(
  work: () => Promise<unknown>,
): Promise<{ ticks: number; longestGap: number }> {
  let ticks = 0;
  let longestGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
    ticks++;
  }, 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { ticks, longestGap };
}
