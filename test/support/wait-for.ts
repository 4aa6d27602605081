/**
 * Polls `cond` every 10 ms until it gives a truthy value, and returns that value; fails naming
 * `what` after `timeoutMs`. A deadline, not a sleep: it returns as soon as the condition holds.
 */
export async function waitFor<T>(cond: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
