import { readFileSync } from 'node:fs';

/** The package's version (package.json), for origin_signer_build_info and the status page. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
