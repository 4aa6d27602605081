import { accessPointOf, namesRegionSet, regionOf, signingVersion, type RawSigning, type RawUpstream } from '../derive.js';
import { error, type ConfigPath, type Finding } from '../problems.js';

/** Signing settings that cannot work together, or with this kind of store. */
export function signingFindings(up: RawUpstream, signing: RawSigning, block: ConfigPath): Finding[] {
  const at = (...rest: string[]): ConfigPath => [...block, ...rest];
  const version = signingVersion(up, signing);
  const out: Finding[] = [];
  // An access point ARN carries its region (a multi-region one has none: s3-flavours.ts asks for SigV4A).
  if (version === 'v4' && !regionOf(up) && !accessPointOf(up) && !namesRegionSet(up)) out.push(error(at('upstream', 'region'), 'SigV4 needs a region: set upstream.region (or signing.version: v2)'));
  if (up.type === 'mediastore' && version === 'v2') out.push(error(at('signing', 'version'), 'MediaStore accepts SigV4 only'));
  if (signing.payload === 'streaming' && up.type === 'mediastore') {
    out.push(error(at('signing', 'payload'), 'MediaStore does not take aws-chunked uploads: use payload: unsigned or sha256'));
  }
  if (version === 'v2' && signing.payload !== 'unsigned') {
    out.push(error(at('signing', 'payload'), 'SigV2 does not sign payloads: use payload: unsigned with SigV2'));
  }
  return out;
}

/** Presigned (query-mode) requests carry UNSIGNED-PAYLOAD, whatever the store. */
export function payloadModeFindings(signing: RawSigning, block: ConfigPath): Finding[] {
  if (signing.payload === 'unsigned' || signing.mode !== 'query') return [];
  return [error([...block, 'signing', 'payload'], `payload: ${signing.payload} needs mode: header (presigned requests carry UNSIGNED-PAYLOAD)`)];
}
