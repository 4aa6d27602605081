import { unwatchFile, watchFile, type Stats } from 'node:fs';
import type { Logger } from '../log/logger.js';

export interface ReloadResult {
  readonly ok: boolean;
  readonly problems?: readonly string[];
}

const WATCH_INTERVAL_MS = 1000;

export interface ReloadTrigger {
  /** Runs one reload after the ones already asked for; never rejects. */
  reload(): Promise<ReloadResult>;
  /** Reloads when the file changes (server.watchConfig), or stops doing so. */
  watch(on: boolean): void;
}

/**
 * When reloads run: one at a time, in the order asked (SIGHUP, the file watch, a caller), and
 * never as a rejection — `void reload()` would end the process on one. The file is polled rather
 * than watched with fs.watch: Kubernetes updates a mounted ConfigMap by swapping a symlink, which
 * inotify on the file itself does not report.
 */
export function reloadTrigger(file: string, doReload: () => Promise<ReloadResult>, o: { log: Logger; onFailed: () => void }): ReloadTrigger {
  let queue: Promise<ReloadResult> = Promise.resolve({ ok: true });
  const attempt = (): Promise<ReloadResult> =>
    doReload().catch((err: unknown) => {
      o.log.error({ config: file, err: (err as Error).message }, 'config reload failed');
      o.onFailed();
      return { ok: false, problems: [(err as Error).message] };
    });
  const reload = (): Promise<ReloadResult> => (queue = queue.then(attempt, attempt));
  let watching = false;
  const onChange = (curr: Stats, prev: Stats): void => {
    if (curr.mtimeMs !== prev.mtimeMs || curr.size !== prev.size || curr.ino !== prev.ino) {
      o.log.info({ config: file }, 'config file changed');
      void reload();
    }
  };
  return {
    reload,
    watch(on) {
      if (on === watching) return;
      watching = on;
      if (on) watchFile(file, { interval: WATCH_INTERVAL_MS, persistent: false }, onChange);
      else unwatchFile(file, onChange);
    },
  };
}
