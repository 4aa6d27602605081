import { OriginSignerError } from '../errors.js';
import { CliError } from './cli-error.js';

/** The commands that print a result rather than serve: what makes them fail is the user's to fix. */
const ONE_SHOT = new Set(['check', 'signing-key', 'sign-url', 'presign']);

const isParseArgsError = (err: unknown): boolean => String((err as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');

/**
 * How a failed run is reported. A config error keeps its code and its list of problems (exit 1).
 * A command run wrong — and anything else a one-shot command meets, such as an unreadable key
 * file — is one line naming the command, exit 2, no stack. Only a failure while serving that is
 * none of these is a bug worth its stack trace.
 */
export function describeFailure(err: unknown, command: string | undefined, usage: string): { stderr: string; exitCode: number } {
  if (err instanceof OriginSignerError) return { stderr: `origin-signer: ${err.code}: ${err.message}\n`, exitCode: 1 };
  const oneShot = command !== undefined && ONE_SHOT.has(command);
  if (!(err instanceof CliError) && !isParseArgsError(err) && !oneShot) {
    return { stderr: `origin-signer: unexpected error: ${(err as Error).stack ?? String(err)}\n`, exitCode: 1 };
  }
  const message = String((err as Error).message ?? err).replace(/\s*\n\s*/g, ' ');
  const where = oneShot && !message.startsWith(command) ? `${command}: ` : '';
  const tail = err instanceof CliError && err.showUsage ? `\n${usage}` : isParseArgsError(err) ? ' (origin-signer --help lists the options)\n' : '\n';
  return { stderr: `origin-signer: ${where}${message}${tail}`, exitCode: 2 };
}
