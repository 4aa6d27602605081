// README "Ingest" against real S3: ffmpeg pushes a live HLS channel (chunked PUTs, DELETEs of old
// segments) through the proxy into a Ceph RGW bucket, in each payload mode; the playlist and its
// segments are in the bucket, deleted segments are gone, no request was cut, and ffprobe plays the
// channel back through the proxy. The strict-origin twin is test/e2e/ffmpeg-hls-push-and-play.test.ts.
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ffmpegSkipReason } from '../support/ffmpeg.js';
import { checkChannelLog, pushAndPlay, type StoreRead } from '../support/ffmpeg-ingest.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { createBucket, encodeKey, rgwSkipReason, signedRequest, startRgw } from '../support/rgw.js';
import { writesBlock } from '../support/rgw-writes-helpers.js';
import { PAYLOAD_MODES } from '../support/writes-helpers.js';

test(
  'ffmpeg pushes HLS through the proxy into Ceph RGW, ffprobe plays it back',
  { skip: rgwSkipReason() ?? ffmpegSkipReason(), concurrency: true, timeout: 600_000 },
  async (t) => {
    const started = Date.now();
    const rgw = await startRgw();
    t.after(() => rgw.stop());
    t.diagnostic(`RGW ${rgw.endpoint} up in ${Date.now() - started} ms`);
    const bucket = `ffmpeg-${randomBytes(4).toString('hex')}`;
    await createBucket(rgw, bucket);
    const proxy = await startProxyCli(t, {
      server: { host: '127.0.0.1', port: 0 },
      proxies: PAYLOAD_MODES.map((payload) => writesBlock(rgw, { path: `/${payload}/`, bucket, payload, extra: { methods: ['GET', 'HEAD', 'PUT', 'DELETE'] } })),
    });
    /** A direct signed GET on RGW (not through the proxy). */
    const store: StoreRead = async (key) => {
      const res = await signedRequest(rgw, 'GET', `/${bucket}/${encodeKey(key)}`);
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw new Error(`direct GET ${key}: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 300)}`);
      return res.body;
    };

    // The channels are pushed at once: ffmpeg runs in real time (-re), like a live encoder.
    const listed = new Map<string, readonly string[]>();
    await Promise.all(
      PAYLOAD_MODES.map((payload) =>
        t.test(`payload: ${payload}: pushed, stored, played back`, async (st) => {
          listed.set(payload, await pushAndPlay(st, proxy, `/${payload}/`, `live-${payload}`, store));
        }),
      ),
    );

    await t.test('no request was cut, every write answered 2xx, deleted segments are gone', async () => {
      // Stopping writes out every access line.
      await proxy.stop();
      for (const payload of PAYLOAD_MODES) await checkChannelLog(proxy, `/${payload}/`, `live-${payload}`, listed.get(payload) ?? [], store);
    });
  },
);
