import type { Dispatcher } from 'undici';
import type { ReadContext } from '../read-object.js';
import { dispatchTarget } from '../../http/upstream-target.js';
import { listTarget, readListPage } from './list-page.js';

/** Whether anything is stored under `prefix` (a key ending in `/`): one signed list request of one key. */
export async function isFolder(c: ReadContext, prefix: string): Promise<boolean> {
  try {
    const res = await c.rt.dispatcher(c.block).request({ origin: c.block.origin, method: 'GET', ...dispatchTarget(listTarget(c.block, prefix, undefined, 1)), headers: { host: c.block.host } } as Dispatcher.RequestOptions);
    const text = await res.body.text();
    if (res.statusCode !== 200) return false;
    const page = readListPage(text, prefix);
    return page.entries.length > 0 || page.marker || page.next !== undefined;
  } catch {
    return false;
  }
}
