// README "Ingest", end to end with a real encoder: ffmpeg pushes a live HLS channel through the
// proxy (`-f hls -hls_flags delete_segments -method PUT`: chunked PUTs, then DELETEs of old
// segments) into the strict origin, in each payload mode; the playlist and its segments are stored,
// deleted segments are gone, no request was cut (issue #16 item 5: ffmpeg closes its side after the
// last chunk, which the proxy took for the viewer leaving), and ffprobe plays it back through the proxy.
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { ffmpegSkipReason } from '../support/ffmpeg.js';
import { checkChannelLog, pushAndPlay } from '../support/ffmpeg-ingest.js';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { PAYLOAD_MODES, writeBlock } from '../support/writes-helpers.js';

test('ffmpeg pushes HLS through the proxy into the strict origin, ffprobe plays it back', { skip: ffmpegSkipReason(), concurrency: true, timeout: 300_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const methods = ['GET', 'HEAD', 'PUT', 'DELETE'];
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: PAYLOAD_MODES.map((payload) => writeBlock(origin.port, { path: `/${payload}/`, bucket: BUCKET, credentials: KEYS, payload, methods, keyPrefix: `${payload}/` })),
  });

  // The channels are pushed at once: ffmpeg runs in real time (-re), like a live encoder.
  const listed = new Map<string, readonly string[]>();
  await Promise.all(
    PAYLOAD_MODES.map((payload) =>
      t.test(`payload: ${payload}: pushed, stored, played back`, async (st) => {
        listed.set(payload, await pushAndPlay(st, proxy, `/${payload}/`, 'channel1', (key) => origin.getObject(BUCKET, `${payload}/${key}`)));
      }),
    ),
  );

  await t.test('no request was cut, every write answered 2xx, deleted segments are gone', async () => {
    // Stopping writes out every access line.
    await proxy.stop();
    for (const payload of PAYLOAD_MODES) {
      await checkChannelLog(proxy, `/${payload}/`, 'channel1', listed.get(payload) ?? [], (key) => origin.getObject(BUCKET, `${payload}/${key}`));
    }
  });
});
