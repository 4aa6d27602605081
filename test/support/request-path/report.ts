// The request-path property's counterexamples as a person reads them: the request's head, the answer, the violations, with the secrets masked.
import type { ViewerRequest } from './arbitraries.js';
import { render, type ViewerResponse } from './wire.js';
import type { Violation } from './origin-checks.js';
import { SECRET_SPELLINGS } from './response-checks.js';

const MASKS: ReadonlyArray<readonly [string, string]> = [
  ...SECRET_SPELLINGS[1]![1].map((f) => [f, '<TOKEN>'] as const),
  ...SECRET_SPELLINGS[0]![1].map((f) => [f, '<SECRET>'] as const),
];
export const mask = (s: string): string => MASKS.reduce((acc, [f, m]) => acc.split(f).join(m), s).replace(/[0-9a-f]{64}/g, '<hex64>');

/** Latin-1 text with every byte outside printable ASCII as \xNN (CR LF as \r\n), so a 0xA0 is not read as a space. */
const printable = (s: string): string =>
  s.replace(/[^\x20-\x7e]/g, (c) => (c === '\r' ? '\\r' : c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));

export function describe(r: ViewerRequest, res: ViewerResponse | undefined, violations: readonly Violation[]): string {
  const head = render(r, 0).toString('latin1').split('\r\n\r\n')[0]!.replace(/Host: 127\.0\.0\.1:0/, 'Host: <proxy>');
  return [
    `viewer request (fault: ${r.fault ?? 'none'}; body ${r.body.framing}, ${r.body.bytes.length} bytes):`,
    `  ${printable(head)}`,
    res ? `response: ${res.status} (${res.ended}) ${printable(mask(res.raw.slice(0, 700)))}` : 'response: none',
    ...violations.map((x) => `  ${x.kind}: ${mask(x.detail)}`),
  ].join('\n');
}
