import { signingVersion, type RawSigning, type RawUpstream } from '../derive.js';
import { error, warning, type ConfigPath, type Finding } from '../problems.js';
import type { CredentialSpec } from '../types.js';

const dayStamp = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');

/**
 * A pre-derived key signs only for its scope: another region or service is refused at start-up;
 * another date is a warning, since the key may be replaced by a reload before it is used.
 */
export function keyScopeFindings(spec: CredentialSpec, up: RawUpstream, signing: RawSigning, block: ConfigPath, nowMs: number): Finding[] {
  if (spec.kind !== 'static' || !spec.credentials.keyScope) return [];
  const at: ConfigPath = [...block, 'credentials'];
  const scope = spec.credentials.keyScope;
  const [date, scopeRegion, service] = scope.split('/');
  const wantService = up.type === 'mediastore' ? 'mediastore' : 's3';
  const out: Finding[] = [];
  const version = signingVersion(up, signing);
  if (version === 'v2') out.push(error(at, 'a pre-derived signingKey signs SigV4 only; SigV2 needs secretAccessKey'));
  if (version === 'v4a') {
    // The scope's region would not match either: one error says it all.
    return [error(at, 'a pre-derived signingKey signs SigV4 only; SigV4A derives its ECDSA key from secretAccessKey')];
  }
  if (scopeRegion !== up.region || service !== wantService) {
    out.push(error(at, `keyScope ${scope} is for ${scopeRegion}/${service}, but this block signs for ${up.region ?? '(no region)'}/${wantService}`));
  }
  const today = dayStamp(nowMs);
  if (date !== today) {
    out.push(warning(at, `credentials "${spec.name}" use a pre-derived key for ${date}; such a key only signs requests dated ${date} (today is ${today}), so the upstream will refuse them`));
  }
  return out;
}
