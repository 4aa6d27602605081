import type { RawProxy } from '../block-schema.js';
import { error, type ConfigPath, type Finding } from '../problems.js';
import type { CredentialSpec } from '../types.js';

/**
 * Named sets: every name given under `credentials:`, with its spec when it parsed. A set that
 * failed to parse is still known, so a block naming it is not told the name does not exist.
 */
export type NamedSets = ReadonlyMap<string, CredentialSpec | undefined>;

/** A block that names a set must name one that exists. */
export function namedSetFindings(credentials: RawProxy['credentials'], named: NamedSets, block: ConfigPath): Finding[] {
  if (typeof credentials !== 'string' || named.has(credentials)) return [];
  const known = [...named.keys()];
  return [error([...block, 'credentials'], `no credential set named "${credentials}" under credentials:${known.length ? ` (known: ${known.join(', ')})` : ' (none defined)'}`)];
}

/** assume-role sets name their source set: it must exist and the references must not loop. */
export function sourceReferenceFindings(specs: ReadonlyArray<readonly [CredentialSpec, ConfigPath]>, named: NamedSets): Finding[] {
  const out: Finding[] = [];
  for (const [spec, path] of specs) {
    if (spec.kind !== 'source' || spec.source.source !== 'assume-role') continue;
    const seen = new Set([spec.name]);
    let next: string | undefined = spec.source.sourceCredentials;
    while (next !== undefined) {
      if (!named.has(next)) {
        out.push(error([...path, 'sourceCredentials'], `no credential set named "${next}" under credentials:`));
        break;
      }
      if (seen.has(next)) {
        out.push(error([...path, 'sourceCredentials'], `assume-role sources loop: ${[...seen, next].join(' → ')}`));
        break;
      }
      seen.add(next);
      const target = named.get(next);
      next = target?.kind === 'source' && target.source.source === 'assume-role' ? target.source.sourceCredentials : undefined;
    }
  }
  return out;
}
