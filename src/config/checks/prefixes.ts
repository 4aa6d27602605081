import { error, type Finding } from '../problems.js';

/**
 * Two blocks with one prefix for the same Host: the second could never be reached. Blocks with
 * `hosts` share a prefix with others as long as no host name is in both (a block without `hosts`
 * serves any, so it collides only with another one without).
 */
export function duplicatePrefixFindings(paths: ReadonlyArray<string | undefined>, hosts: ReadonlyArray<readonly string[] | undefined> = []): Finding[] {
  const seen = new Map<string, number[]>();
  const out: Finding[] = [];
  paths.forEach((path, i) => {
    if (path === undefined) return;
    const earlier = seen.get(path) ?? [];
    const clash = earlier.find((j) => {
      const a = hosts[i];
      const b = hosts[j];
      return a === undefined ? b === undefined : b !== undefined && a.some((h) => b.includes(h));
    });
    if (clash !== undefined) out.push(error(['proxies', i, 'path'], `duplicate prefix ${path} (also proxies[${clash}].path${hosts[i] ? ', for the same host' : ''})`));
    seen.set(path, [...earlier, i]);
  });
  return out;
}

/** The readiness probe goes through a block, so some block must serve it. */
export function readinessProbeFindings(probe: string | undefined, paths: ReadonlyArray<string | undefined>): Finding[] {
  // A block whose path did not parse might be the one meant: say nothing rather than guess.
  if (probe === undefined || paths.includes(undefined) || paths.some((p) => probe.startsWith(p!))) return [];
  return [error(['readiness', 'probe'], `no proxy block serves ${probe}`)];
}
