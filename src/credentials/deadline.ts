/**
 * `work`, or a rejection once `ms` have passed — whichever comes first. A refresh must settle, or
 * its single flight would hold every later one: the SDK's fromHttp only warns when the container
 * endpoint accepts the connection and never answers (its handler is built without
 * `throwOnRequestTimeout`, measured: still pending after 30 s with a 300 ms timeout).
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
