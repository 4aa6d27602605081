import type { Logger } from '../log/logger.js';

/** Whether the disk store is known to be failing, and the one warning that says so. */
export interface WriteWarning {
  failed(err: unknown): void;
  succeeded(): void;
}

/**
 * Warns once when the disk store starts failing (disk full, read-only, a path that is not a
 * directory) and stays quiet until a write succeeds again: a full disk would otherwise log on
 * every request. The line names only the path and the error's code, never a key or a header.
 */
export function writeWarning(log: Pick<Logger, 'warn'>, path: string): WriteWarning {
  let failing = false;
  return {
    failed(err) {
      if (failing) return;
      failing = true;
      const code = errorCode(err);
      log.warn({ path, code }, `disk cache ${path} cannot be written (${code}); it keeps nothing until a write succeeds`);
    },
    succeeded() {
      failing = false;
    },
  };
}

export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}
