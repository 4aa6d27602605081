import { isIP } from 'node:net';

export interface Cidr {
  readonly address: string;
  readonly family: 4 | 6;
  readonly prefix: number;
}

/**
 * A CIDR range (`10.0.0.0/8`, `2001:db8::/32`) or one address (meaning /32 or /128), strictly:
 * one `/`, a decimal prefix within the family's bits. Undefined for anything else — a sloppy
 * range must never widen into "everyone" (`1.2.3.4/` is not /0).
 */
export function parseCidr(text: string): Cidr | undefined {
  const parts = text.split('/');
  if (parts.length > 2) return undefined;
  const [address, bits] = parts as [string, string | undefined];
  const detected = isIP(address);
  if (detected === 0) return undefined;
  const family: 4 | 6 = detected === 4 ? 4 : 6;
  const max = family === 4 ? 32 : 128;
  if (bits === undefined) return { address, family, prefix: max };
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return undefined;
  return { address, family, prefix: Number(bits) };
}
