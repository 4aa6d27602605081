import { error, type Finding } from '../problems.js';

/** Two blocks with one prefix: the second could never be reached. */
export function duplicatePrefixFindings(paths: ReadonlyArray<string | undefined>): Finding[] {
  const seen = new Map<string, number>();
  const out: Finding[] = [];
  paths.forEach((path, i) => {
    if (path === undefined) return;
    const first = seen.get(path);
    if (first !== undefined) out.push(error(['proxies', i, 'path'], `duplicate prefix ${path} (also proxies[${first}].path)`));
    else seen.set(path, i);
  });
  return out;
}

/** The readiness probe goes through a block, so some block must serve it. */
export function readinessProbeFindings(probe: string | undefined, paths: ReadonlyArray<string | undefined>): Finding[] {
  // A block whose path did not parse might be the one meant: say nothing rather than guess.
  if (probe === undefined || paths.includes(undefined) || paths.some((p) => probe.startsWith(p!))) return [];
  return [error(['readiness', 'probe'], `no proxy block serves ${probe}`)];
}
