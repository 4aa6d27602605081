// A dev-only oracle written in Python (awscrt's SigV4A, botocore's SigV2): one process per batch,
// JSON in on stdin and out on stdout, with a Python that imports the oracle's module — Debian's
// first, where the python3-* packages of scripts/<tool>/install.sh live.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { skipUnlessInstalled } from './skip-reason.js';

export interface PythonOracle {
  /** For `test(name, { skip: oracle.skipReason() }, ...)`: skipped without the module (an error on CI). */
  skipReason(): string | undefined;
  /** Runs the script on `input` in one Python process and returns what it printed, parsed. */
  run<T>(input: unknown): T;
}

export function pythonOracle(o: { module: string; script: string; envVar: string; tool: string; suite: string }): PythonOracle {
  const script = join(repoRoot, 'test', 'support', o.script);
  const pythons = [process.env[o.envVar], '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  let found: string | null | undefined;
  const python = (): string | null => {
    if (found === undefined) found = pythons.find((p) => spawnSync(p, ['-c', `import ${o.module}`], { stdio: 'ignore' }).status === 0) ?? null;
    return found;
  };
  return {
    skipReason: () => skipUnlessInstalled(python() ? undefined : `${o.tool} is not installed for python3 (run: sudo bash scripts/${o.tool}/install.sh)`, o.suite),
    run<T>(input: unknown): T {
      const py = python();
      if (!py) throw new Error(`no python3 with ${o.module}`);
      const r = spawnSync(py, [script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      if (r.status !== 0) throw new Error(`${o.tool} oracle failed (${r.status}): ${r.stderr}`);
      return JSON.parse(r.stdout) as T;
    },
  };
}
