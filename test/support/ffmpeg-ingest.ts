// The ffmpeg ingest scenario (README "Ingest"), shared by the strict-origin and the Ceph RGW
// suites: push a live HLS channel through the proxy, check what the store holds, play it back
// through the proxy, then check the proxy's access lines for that channel.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { ProxyProcess } from './proxy-cli.js';
import { accessLines, FPS, LIST_SIZE, parsePlaylist, probePackets, pushHls } from './ffmpeg.js';
import { waitFor } from './wait-for.js';

/** Reads an object from the store behind the proxy, bypassing it; undefined when there is none. */
export type StoreRead = (key: string) => Promise<Buffer | undefined>;

/**
 * ffmpeg pushes `/<prefix>/<channel>/index.m3u8`; the store (keys are `<channel>/…`) must then hold
 * the final playlist and every segment it lists, and ffprobe must read all of their frames back
 * through the proxy. Returns the playlist's segment names.
 */
export async function pushAndPlay(t: TestContext, proxy: ProxyProcess, prefix: string, channel: string, store: StoreRead): Promise<readonly string[]> {
  const url = `${proxy.url}${prefix}${channel}/index.m3u8`;
  const push = await pushHls(url);
  assert.equal(push.code, 0, `ffmpeg exited ${push.code}:\n${push.stderr}`);
  // ffmpeg closes each connection after the last chunk without reading the answer, so its last
  // writes may still be on their way to the store when it exits.
  const stored = await waitFor(async () => {
    const text = (await store(`${channel}/index.m3u8`))?.toString('utf8');
    return text !== undefined && parsePlaylist(text).ended ? text : undefined;
  }, `ffmpeg's last playlist (#EXT-X-ENDLIST) stored for ${channel}`, 15_000, 50);
  const playlist = parsePlaylist(stored);
  assert.equal(playlist.segments.length, LIST_SIZE, stored);
  for (const name of playlist.segments) {
    const seg = await waitFor(() => store(`${channel}/${name}`), `segment ${name} listed in the playlist stored`, 15_000, 50);
    assert.equal(seg[0], 0x47, `${name} is MPEG-TS (sync byte)`);
  }

  const probe = await probePackets(url);
  assert.equal(probe.run.code, 0, `ffprobe exited ${probe.run.code}:\n${probe.run.stderr}`);
  const expected = Math.round(playlist.seconds * FPS);
  t.diagnostic(`${prefix}${channel}: ffprobe read ${probe.packets} video packets through the proxy; the playlist lists ${playlist.seconds} s (${expected} frames)`);
  assert.ok(Math.abs(probe.packets - expected) <= 2, `ffprobe read ${probe.packets} packets, the playlist lists ${expected} frames`);
  return playlist.segments;
}

/**
 * Once the proxy has stopped (every access line written): no request of the channel was cut (499
 * or aborted: the old half-close bug), every write was answered 2xx, old segments were deleted and
 * are gone from the store, and every segment uploaded is listed, deleted, or the one
 * `hls_delete_threshold` (1) keeps.
 */
export async function checkChannelLog(proxy: ProxyProcess, prefix: string, channel: string, listed: readonly string[], store: StoreRead): Promise<void> {
  const lines = accessLines(proxy, `${prefix}${channel}/`);
  const cut = lines.filter((l) => l.status === 499 || l.aborted === true);
  assert.deepEqual(cut, [], 'no request was cut');
  const writes = lines.filter((l) => l.method === 'PUT' || l.method === 'DELETE');
  for (const l of writes) assert.ok(Number(l.status) >= 200 && Number(l.status) < 300, `write answered ${String(l.status)}: ${JSON.stringify(l)}`);
  const name = (l: Record<string, unknown>): string => String(l.path).slice(`${prefix}${channel}/`.length);
  const uploaded = new Set(writes.filter((l) => l.method === 'PUT' && String(l.path).endsWith('.ts')).map(name));
  const deleted = new Set(writes.filter((l) => l.method === 'DELETE').map(name));
  assert.ok(deleted.size >= 1, `ffmpeg deleted old segments (uploaded ${[...uploaded].join(' ')})`);
  for (const d of deleted) {
    assert.ok(uploaded.has(d), `deleted ${d} had been uploaded`);
    assert.ok(!listed.includes(d), `deleted ${d} is not listed`);
    assert.equal(await store(`${channel}/${d}`), undefined, `deleted segment ${d} is gone from the store`);
  }
  const kept = [...uploaded].filter((u) => !deleted.has(u) && !listed.includes(u));
  assert.ok(kept.length <= 1, `segments neither listed nor deleted: ${kept.join(' ')}`);
}
