import type { Logger } from '../../log/logger.js';

/** The logger interface the SDK's providers and clients take (@smithy/types Logger). */
export interface SdkLogger {
  debug(...content: unknown[]): void;
  info(...content: unknown[]): void;
  warn(...content: unknown[]): void;
  error(...content: unknown[]): void;
}

/**
 * The SDK's warnings and errors as our log lines, instead of console output in the middle of the
 * JSON log. Only string arguments are kept: the clients also log objects (command input and
 * output, raw errors) whose fields we do not control. Debug and info are dropped.
 */
export function sdkLogger(log: Logger, set: string): SdkLogger {
  const text = (content: unknown[]): string => content.filter((c) => typeof c === 'string').join(' ').trim();
  const at = (level: 'warn' | 'error') => (...content: unknown[]): void => {
    const msg = text(content);
    if (msg) log[level]({ credentials: set }, `AWS SDK: ${msg}`);
  };
  return { debug: () => {}, info: () => {}, warn: at('warn'), error: at('error') };
}
