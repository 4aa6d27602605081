import { addressingOf, endpointUrl, type RawUpstream } from '../derive.js';
import { error, type ConfigPath, type Finding } from '../problems.js';

/** Virtual-hosted addressing puts the bucket in the host name, which an IP address cannot carry. */
export function addressingFindings(up: RawUpstream, block: ConfigPath): Finding[] {
  if (up.type !== 's3' || addressingOf(up) !== 'virtual') return [];
  if (!/^\d+\.\d+\.\d+\.\d+$|^\[/.test(endpointUrl(up).hostname)) return [];
  return [error([...block, 'upstream', 'addressing'], 'virtual-hosted addressing needs a host name endpoint, not an IP address: use addressing: path')];
}
