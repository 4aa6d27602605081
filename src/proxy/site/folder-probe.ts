import type { ReadContext } from '../read-object.js';
import { fetchWhole, viewerLeaves } from '../fetch-whole.js';
import { listTarget, readListPage } from './list-page.js';

/**
 * Whether anything is stored under `prefix` (a key ending in `/`): one signed list request of one
 * key, read as a listing page is (fetchWhole: bounded, dropped when the viewer leaves) — a store
 * that answers it with an endless body must not fill the proxy's memory.
 */
export async function isFolder(c: ReadContext, prefix: string): Promise<boolean> {
  const r = await fetchWhole(c, listTarget(c.block, prefix, undefined, 1), viewerLeaves(c));
  if ('error' in r || r.status !== 200) return false;
  try {
    const page = readListPage(r.body.toString('utf8'), prefix);
    return page.entries.length > 0 || page.marker || page.next !== undefined;
  } catch {
    return false;
  }
}
