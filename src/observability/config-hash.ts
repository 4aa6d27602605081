import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The first 12 hex digits of the config file's sha256, shown on the status page and in
 * origin_signer_config_info: enough to tell which file a replica runs, and nothing of its content
 * (the file can hold keys). Undefined when there is no file to read (the built-in demo).
 */
export function configFileHash(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
  } catch {
    return undefined;
  }
}
