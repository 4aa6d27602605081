/**
 * Polls `cond` every `everyMs` until it gives a truthy value, and returns that value; fails naming
 * `what` after `timeoutMs`. A deadline, not a sleep: it returns as soon as the condition holds.
 */
export async function waitFor<T>(cond: () => T | Promise<T>, what: string, timeoutMs = 15_000, everyMs = 10): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** `p`, or a rejection naming `what` after `ms` (so a missing answer fails the test at once, not at its timeout). */
export function within<T>(p: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
