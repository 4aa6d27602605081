import type { ResolvedConfig } from '../config/types.js';
import type { StatusContext } from './status.js';

/** The names the status page takes from a config: blocks with their origin and set, sets with their source. */
export function statusContextOf(configFile: string, processes: number, config: () => ResolvedConfig): StatusContext {
  return {
    configFile,
    processes,
    blocks: () => config().proxies.map((b) => ({ path: b.path, origin: b.origin, credentials: b.credentials.name })),
    credentialSources: () => {
      const out = new Map<string, string>();
      const c = config();
      // Only the kind of source: the rest of a set's definition can hold keys.
      for (const spec of [...Object.values(c.credentials), ...c.proxies.map((b) => b.credentials)]) out.set(spec.name, spec.kind === 'static' ? 'static' : spec.source.source);
      return out;
    },
  };
}
