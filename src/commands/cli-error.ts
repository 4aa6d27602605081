/**
 * A mistake in how a command was run (a missing flag, a bad value, an unset variable): the CLI
 * prints it as one line on stderr and exits 2, with no stack — the user has nothing to debug.
 */
export class CliError extends Error {
  /** `showUsage`: the user seems not to know the commands at all; the usage follows the line. */
  constructor(message: string, readonly showUsage = false) {
    super(message);
    this.name = 'CliError';
  }
}
