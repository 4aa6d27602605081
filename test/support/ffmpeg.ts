// A real live encoder for the ingest tests (README "Ingest"): ffmpeg pushes HLS with PUT/DELETE
// through the proxy, ffprobe plays it back through the proxy. Install with:
// sudo bash scripts/ffmpeg/install.sh (Debian's ffmpeg package; .ci/run does it).
import { execFile, spawnSync } from 'node:child_process';
import type { ProxyProcess } from './proxy-cli.js';
import { onPath } from './on-path.js';
import { skipUnlessInstalled } from './skip-reason.js';

/** For `test(name, { skip: ffmpegSkipReason() }, ...)`: ffmpeg and ffprobe on PATH, else skipped (an error on CI). */
export function ffmpegSkipReason(): string | undefined {
  const missing = ['ffmpeg', 'ffprobe'].filter((b) => !onPath(b));
  return skipUnlessInstalled(missing.length === 0 ? undefined : `ffmpeg is not installed (missing on PATH: ${missing.join(', ')}; run: sudo bash scripts/ffmpeg/install.sh)`, 'the ffmpeg ingest tests');
}

/** libx264 where this ffmpeg has it (Debian's does), else MPEG-2, which every build has. */
export function videoEncoder(): string {
  const out = spawnSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' }).stdout ?? '';
  return /^\s*V\S*\s+libx264\s/m.test(out) ? 'libx264' : 'mpeg2video';
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export const FPS = 25;
export const LIST_SIZE = 2;

/**
 * `seconds` of ffmpeg's test pattern, encoded with a key frame every second, pushed as HLS to
 * `url` (…/index.m3u8) with PUT, one-second segments, a playlist of {@link LIST_SIZE} and old
 * segments deleted (DELETE). In real time (-re), as a live encoder: ffmpeg 5.1 does not wait for
 * the answer to a PUT, so faster than real time a segment's DELETE can overtake its spooled PUT.
 */
export function pushHls(url: string, seconds = 5): Promise<Run> {
  const encoder = videoEncoder();
  return run(
    'ffmpeg',
    [
      ...['-hide_banner', '-nostdin', '-loglevel', 'warning'],
      ...['-re', '-f', 'lavfi', '-i', `testsrc=size=320x240:rate=${FPS}`, '-t', String(seconds)],
      ...['-c:v', encoder, '-threads', '1', '-g', String(FPS), '-pix_fmt', 'yuv420p'],
      ...(encoder === 'libx264' ? ['-preset', 'ultrafast', '-sc_threshold', '0'] : []),
      ...['-f', 'hls', '-hls_time', '1', '-hls_list_size', String(LIST_SIZE), '-hls_flags', 'delete_segments', '-method', 'PUT', url],
    ],
    120_000,
  );
}

/** ffprobe reads the playlist and every segment it lists (through the proxy); resolves with the video packets it read. */
export async function probePackets(url: string): Promise<{ run: Run; packets: number }> {
  const r = await run('ffprobe', ['-v', 'error', '-count_packets', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', url], 60_000);
  return { run: r, packets: Number.parseInt(r.stdout.trim(), 10) };
}

export interface Playlist {
  readonly segments: readonly string[];
  /** The sum of the segments' #EXTINF durations, in seconds. */
  readonly seconds: number;
  readonly ended: boolean;
}

export function parsePlaylist(text: string): Playlist {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  return {
    segments: lines.filter((l) => l !== '' && !l.startsWith('#')),
    seconds: lines.filter((l) => l.startsWith('#EXTINF:')).reduce((s, l) => s + Number.parseFloat(l.slice(8)), 0),
    ended: lines.includes('#EXT-X-ENDLIST'),
  };
}

/** The proxy's access lines for requests under `prefix` (read once the proxy has stopped: every line is then written). */
export function accessLines(proxy: ProxyProcess, prefix: string): Array<Record<string, unknown>> {
  return proxy.logs().filter((l) => l.msg === 'request' && typeof l.path === 'string' && l.path.startsWith(prefix));
}
