/**
 * For `test(name, { skip: … })` of a suite that needs a tool: `missing` says what is not
 * installed (undefined when all is there) and how to install it. Off CI the suite is skipped with
 * that reason; on CI (`CI=true`) a missing tool is an error, since .ci/run installs it and the
 * suite must run there.
 */
export function skipUnlessInstalled(missing: string | undefined, suite: string): string | undefined {
  if (missing === undefined) return undefined;
  if (process.env.CI === 'true') throw new Error(`${missing} but CI=true: ${suite} must run on CI`);
  return `SKIPPED: ${missing}`;
}
