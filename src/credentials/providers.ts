import type { ResolvedConfig } from '../config/types.js';
import { StaticCredentialProvider, type CredentialProvider } from './provider.js';

/** One provider per credential set in use: named sets and each block's inline set. */
export function createProviders(config: ResolvedConfig): Map<string, CredentialProvider> {
  const providers = new Map<string, CredentialProvider>();
  const specs = [...Object.values(config.credentials), ...config.proxies.map((b) => b.credentials)];
  for (const spec of specs) {
    if (!providers.has(spec.name)) providers.set(spec.name, new StaticCredentialProvider(spec.name, spec.credentials));
  }
  return providers;
}
