import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found by walking up from this (compiled or source) file to package.json. */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${start}`);
    dir = up;
  }
  return dir;
}

export const repoRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
export const fixture = (name: string): string => join(fixturesDir, name);
/** The built CLI's JavaScript entry. */
export const cliPath = join(repoRoot, 'dist', 'src', 'cli.js');
/** The launcher users run (`bin` in package.json, `npm start`, the Docker entrypoint): spawn this. */
export const binPath = join(repoRoot, 'bin', 'origin-signer');
