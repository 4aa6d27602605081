// A Dockerfile reader for the deploy tests: instructions (continuation lines joined, comments and
// parser directives dropped), their `--flags`, exec-form JSON arguments, grouped by stage; and a
// .dockerignore matcher for replaying COPY.
import { relative, sep } from 'node:path';

export interface Instruction {
  readonly keyword: string;
  /** The arguments after the keyword and its flags, as written. */
  readonly args: string;
  readonly flags: Readonly<Record<string, string>>;
  /** Exec form (`["a", "b"]`), parsed. */
  readonly exec?: readonly string[];
  readonly line: number;
}

export interface Stage {
  readonly image: string;
  readonly name?: string;
  readonly instructions: Instruction[];
}

function splitFlags(rest: string): { flags: Record<string, string>; args: string } {
  const flags: Record<string, string> = {};
  let r = rest;
  for (;;) {
    const m = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(r);
    if (!m) break;
    flags[m[1]!] = m[2] ?? 'true';
    r = r.slice(m[0].length);
  }
  return { flags, args: r.trim() };
}

function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const parsed = JSON.parse(args) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error(`exec form is not a list of strings: ${args}`);
  return parsed as string[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const start = i;
    let line = lines[i++]!;
    if (/^\s*(#|$)/.test(line)) continue; // comments and parser directives (# syntax=…)
    while (/\\\s*$/.test(line) && i < lines.length) {
      const next = lines[i++]!;
      if (/^\s*#/.test(next)) continue; // comment lines inside a continuation are dropped
      line = line.replace(/\\\s*$/, ' ') + next.trim();
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`line ${start + 1}: not an instruction: ${line}`);
    const keyword = m[1]!.toUpperCase();
    const { flags, args } = splitFlags(m[2]!.trim());
    const exec = keyword === 'HEALTHCHECK' ? undefined : execForm(args);
    const ins: Instruction = { keyword, args, flags, line: start + 1, ...(exec ? { exec } : {}) };
    if (keyword === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!f) throw new Error(`line ${start + 1}: bad FROM ${args}`);
      stages.push({ image: f[1]!, ...(f[2] ? { name: f[2] } : {}), instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`line ${start + 1}: ${keyword} before FROM`);
    stage.instructions.push(ins);
  }
  return stages;
}

/** `COPY a b dest` (shell form) or `COPY ["a", "dest"]`: sources and destination. */
export function copyArgs(ins: Instruction): { sources: string[]; dest: string } {
  const parts = ins.exec ?? ins.args.split(/\s+/);
  if (parts.length < 2) throw new Error(`line ${ins.line}: COPY needs a source and a destination`);
  return { sources: parts.slice(0, -1), dest: parts.at(-1)! };
}

/** The HEALTHCHECK's command: its exec form, or `sh -c` of its shell form. */
export function healthcheckCommand(ins: Instruction): string[] {
  const m = /^CMD\s+(.*)$/i.exec(ins.args);
  if (!m) throw new Error(`line ${ins.line}: HEALTHCHECK without CMD`);
  return execForm(m[1]!) ?? ['/bin/sh', '-c', m[1]!];
}

/** `ENV A=b C=d` (or the old `ENV A b`) as a map. */
export function envOf(ins: Instruction): Record<string, string> {
  const out: Record<string, string> = {};
  if (!ins.args.includes('=')) {
    const [k, ...v] = ins.args.split(/\s+/);
    out[k!] = v.join(' ');
    return out;
  }
  for (const m of ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) out[m[1]!] = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
  return out;
}

/** A .dockerignore: whether a path (relative to the context) is left out of the build context. */
export function dockerignore(text: string): (path: string) => boolean {
  const patterns = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((p) => {
      const negate = p.startsWith('!');
      const body = (negate ? p.slice(1) : p).replace(/^\/+|\/+$/g, '');
      const re = new RegExp(`^${body.split('/').map((seg) => seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\u0000/g, '.*')).join('/')}(/.*)?$`);
      return { negate, re };
    });
  return (path: string) => {
    const p = path.split(sep).join('/');
    let ignored = false;
    for (const { negate, re } of patterns) if (re.test(p)) ignored = !negate;
    return ignored;
  };
}

export const relativeTo = (root: string, file: string): string => relative(root, file).split(sep).join('/');
