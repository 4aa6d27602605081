// Apache Traffic Server 9.2 as a reference for the benchmarks: a signing reverse proxy (s3_auth),
// with its HTTP cache off (proxy bench) or on (cache bench).
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pinAllThreads, spawnGuarded, stopOnExit, UNDER_READY_MS, waitForHttp } from './harness.js';

export const S3_AUTH_SO = '/usr/lib/trafficserver/modules/s3_auth.so';

/**
 * Apache Traffic Server 9.2 as a signing reverse proxy: `traffic_server` started directly (no
 * traffic_manager, no systemd) from a private layout under `dir/name` (runroot.yaml: its own
 * config, log, runtime and cache folders; binaries and plugins from the package), one remap rule
 * `http://127.0.0.1:<port>/<prefix>` → `<originBase>/<prefix>` through the `s3_auth` plugin signing
 * SigV4 (header mode, UNSIGNED-PAYLOAD), one net thread, no access log, no crash-log helper, all
 * its threads pinned to `core`. The HTTP cache is off unless `opts.cache` is given (then see
 * cacheRecords). Returns the traffic_server pid.
 */
export async function startTrafficServer(
  dir: string,
  name: string,
  core: number,
  opts: { port: number; originBase: string; prefix: string; accessKeyId: string; secretAccessKey: string; region: string; cache?: AtsCache; under?: readonly string[] },
): Promise<{ pid: number; stop(): void }> {
  const root = join(dir, name);
  for (const d of ['etc', 'log', 'run', 'cache', 'disk']) mkdirSync(join(root, d), { recursive: true });
  const etc = join(root, 'etc');
  writeFileSync(
    join(root, 'runroot.yaml'),
    [
      `prefix: ${root}`,
      'exec_prefix: /usr',
      'bindir: /usr/bin',
      'sbindir: /usr/sbin',
      `sysconfdir: ${etc}`,
      `datadir: ${root}/cache`,
      'includedir: /usr/include',
      'libdir: /usr/lib/trafficserver',
      'libexecdir: /usr/lib/trafficserver/modules',
      `localstatedir: ${root}/run`,
      `runtimedir: ${root}/run`,
      `logdir: ${root}/log`,
      `cachedir: ${root}/cache`,
      '',
    ].join('\n'),
  );
  // records.config (9.2; records.yaml is 10.x). Everything not set here is Traffic Server's default
  // (server keep-alive and session sharing on, Via/Client-IP headers as shipped).
  writeFileSync(
    join(etc, 'records.config'),
    [
      // #-1: do not switch user (starting as root is allowed only with #-1; unprivileged needs nothing).
      'CONFIG proxy.config.admin.user_id STRING #-1',
      `CONFIG proxy.config.http.server_ports STRING ${opts.port}:ipv4:ip-in=127.0.0.1`,
      ...(opts.cache ? cacheRecords(opts.cache) : ['CONFIG proxy.config.http.cache.http INT 0']),
      'CONFIG proxy.config.exec_thread.autoconfig INT 0',
      'CONFIG proxy.config.exec_thread.limit INT 1',
      // Affinity 0 binds the net thread to the whole machine, over the taskset mask: pinAllThreads below re-pins.
      'CONFIG proxy.config.exec_thread.affinity INT 0',
      'CONFIG proxy.config.accept_threads INT 0',
      'CONFIG proxy.config.task_threads INT 1',
      'CONFIG proxy.config.log.logging_enabled INT 0',
      'CONFIG proxy.config.crash_log_helper STRING NULL',
      'CONFIG proxy.config.reverse_proxy.enabled INT 1',
      'CONFIG proxy.config.url_remap.remap_required INT 1',
      '',
    ].join('\n'),
  );
  writeFileSync(join(etc, 's3_region_map.config'), `# entry point : region; an empty entry point is the default\n: ${opts.region}\n`);
  writeFileSync(
    join(etc, 's3_auth_v4.config'),
    [`access_key=${opts.accessKeyId}`, `secret_key=${opts.secretAccessKey}`, 'version=4', `v4-region-map=${etc}/s3_region_map.config`, ''].join('\n'),
  );
  writeFileSync(
    join(etc, 'remap.config'),
    `map http://127.0.0.1:${opts.port}${opts.prefix} ${opts.originBase}${opts.prefix} @plugin=${S3_AUTH_SO} @pparam=--config @pparam=${etc}/s3_auth_v4.config\n`,
  );
  writeFileSync(join(etc, 'ip_allow.yaml'), 'ip_allow:\n  - apply: in\n    ip_addrs: 127.0.0.1\n    action: allow\n    methods: ALL\n');
  // The cache's disk: one file (`disk/cache.db`, created sparse) of the given size.
  writeFileSync(join(etc, 'storage.config'), opts.cache ? `${join(root, 'disk')} ${opts.cache.diskBytes}\n` : '');
  // Empty: no plugins beyond the remap one, no cache storage unless the cache is on, no TLS. The
  // YAML ones (sni, strategies, logging) are left out: missing, they are skipped with a warning.
  for (const f of ['plugin.config', 'volume.config', 'hosting.config', 'cache.config', 'parent.config', 'ssl_multicert.config', 'splitdns.config', 'socks.config'])
    writeFileSync(join(etc, f), '');
  const out = openSync(join(root, 'log', 'traffic_server.out'), 'w');
  // setpriv and taskset exec traffic_server: the child's pid is traffic_server's.
  // `under`: a command that runs it (valgrind), exec'd too.
  const child = spawnGuarded('taskset', ['-c', String(core), ...(opts.under ?? []), 'traffic_server', `--run-root=${join(root, 'runroot.yaml')}`], { stdio: ['ignore', out, out] });
  closeSync(out);
  const stop = stopOnExit(() => child.kill('SIGTERM'));
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    await waitForHttp(opts.port, opts.under ? UNDER_READY_MS : undefined);
  } catch (err) {
    throw new Error(`Traffic Server ${name} did not start${exited ? ' (it exited)' : ''}: see ${root}/log/diags.log and traffic_server.out`, { cause: err });
  }
  const pid = child.pid!;
  pinAllThreads(pid, core);
  return { pid, stop };
}

/** The cache, when on: a RAM cache of `ramBytes` keeping objects up to `ramCutoffBytes`, over a disk file of `diskBytes`. */
export interface AtsCache {
  ramBytes: number;
  ramCutoffBytes: number;
  diskBytes: number;
}

/**
 * records.config lines for the cache on. An origin answer without an explicit lifetime (S3 sends
 * none) is kept by the heuristic for at least an hour (required_headers 0); concurrent misses on
 * one object are collapsed: the first takes the write lock and fetches, the others retry the
 * cache read (open_write_fail_action 5, up to 500 × 10 ms) and read while it writes
 * (enable_read_while_writer, background fill never cut short) — the settings the Traffic Server
 * docs give for read-while-writer and request collapsing.
 */
function cacheRecords(c: AtsCache): string[] {
  return [
    'CONFIG proxy.config.http.cache.http INT 1',
    `CONFIG proxy.config.cache.ram_cache.size INT ${c.ramBytes}`,
    `CONFIG proxy.config.cache.ram_cache_cutoff INT ${c.ramCutoffBytes}`,
    'CONFIG proxy.config.cache.max_doc_size INT 0',
    'CONFIG proxy.config.http.cache.required_headers INT 0',
    'CONFIG proxy.config.http.cache.heuristic_min_lifetime INT 3600',
    'CONFIG proxy.config.cache.enable_read_while_writer INT 1',
    'CONFIG proxy.config.cache.read_while_writer.max_retries INT 100',
    'CONFIG proxy.config.cache.read_while_writer_retry.delay INT 10',
    'CONFIG proxy.config.http.background_fill_active_timeout INT 0',
    'CONFIG proxy.config.http.background_fill_completed_threshold FLOAT 0.0',
    'CONFIG proxy.config.http.cache.open_write_fail_action INT 5',
    'CONFIG proxy.config.http.cache.max_open_read_retries INT 500',
    'CONFIG proxy.config.http.cache.open_read_retry_time INT 10',
  ];
}

