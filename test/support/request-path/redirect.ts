// The request-path property's viewer of a redirect block: its 307 followed the way a viewer would.
import type { ViewerRequest } from './arbitraries.js';
import type { Violation } from './origin-checks.js';
import { exchange, type ViewerResponse } from './wire.js';

/**
 * Sends the 307's Location as it is to the origin on `originPort` (which records it, so the checks
 * see what the presigned URL reaches) — unless it points anywhere else: I1:redirect-elsewhere.
 */
export async function followRedirect(originPort: number, r: ViewerRequest, res: ViewerResponse): Promise<{ followed?: ViewerResponse; violation?: Violation }> {
  const origin = `http://localhost:${originPort}`;
  const location = /\r\nlocation: *([^\r]*)/i.exec(res.head)?.[1] ?? '';
  if (!location.startsWith(`${origin}/`)) return { violation: { kind: 'I1:redirect-elsewhere', detail: `Location ${JSON.stringify(location.slice(0, 120))}` } };
  const request = `${r.method} ${location.slice(origin.length)} HTTP/1.1\r\nHost: localhost:${originPort}\r\nConnection: close\r\n\r\n`;
  return { followed: await exchange(originPort, Buffer.from(request, 'latin1'), r.method === 'HEAD') };
}
