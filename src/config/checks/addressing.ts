import { accessPointOf, addressingOf, directoryZoneOf, endpointUrl, type RawUpstream } from '../derive.js';
import { error, type ConfigPath, type Finding } from '../problems.js';

/**
 * Virtual-hosted addressing puts the bucket in the host name, which an IP address cannot carry. An
 * access point is the exception: its host comes from its ARN, and an endpoint only says where to
 * dial. A directory bucket has no path-style form, so its endpoint needs a host name.
 */
export function addressingFindings(up: RawUpstream, block: ConfigPath): Finding[] {
  if (up.type !== 's3' || addressingOf(up) !== 'virtual' || accessPointOf(up)) return [];
  if (!/^\d+\.\d+\.\d+\.\d+$|^\[/.test(endpointUrl(up).hostname)) return [];
  if (directoryZoneOf(up) !== undefined) return [error([...block, 'upstream', 'endpoint'], 'a directory bucket is addressed by its host name (it has no path-style form): give upstream.endpoint a host name, not an IP address')];
  return [error([...block, 'upstream', 'addressing'], 'virtual-hosted addressing needs a host name endpoint, not an IP address: use addressing: path')];
}
