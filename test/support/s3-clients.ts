// rclone, s3cmd and the AWS CLI as an operator runs them against the proxy (README "Listing a
// block like a bucket"). Install with: sudo bash scripts/s3-clients/install.sh (Debian's packages;
// .ci/run does it).
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onPath } from './on-path.js';
import { skipUnlessInstalled } from './skip-reason.js';

/** For `test(name, { skip: s3ClientsSkipReason() }, ...)`: rclone and s3cmd on PATH, else skipped (an error on CI). */
export function s3ClientsSkipReason(): string | undefined {
  const missing = ['rclone', 's3cmd'].filter((b) => !onPath(b));
  return skipUnlessInstalled(missing.length === 0 ? undefined : `S3 clients are not installed (missing on PATH: ${missing.join(', ')}; run: sudo bash scripts/s3-clients/install.sh)`, 'the S3 clients test');
}

export interface Run {
  readonly code: number;
  readonly out: string;
}

/** The viewer's own keys: never forwarded (the test checks the store never saw them). */
export const VIEWER = { accessKeyId: 'AKIAVIEWERCLIENTS001', secretAccessKey: 'viewer-clients-secret' };

/** Debian's AWS CLI v2 (package awscli), by its path: a pip-installed v1 may come first on PATH. */
export const AWS_CLI = '/usr/bin/aws';

/** For the AWS CLI's suite: Debian's `aws` installed, else skipped (an error on CI). */
export function awsCliSkipReason(): string | undefined {
  return skipUnlessInstalled(existsSync(AWS_CLI) ? undefined : `the AWS CLI is not installed (${AWS_CLI}; run: sudo bash scripts/s3-clients/install.sh)`, 'the AWS CLI test');
}

/**
 * The machine's environment without its AWS settings: AWS_CA_BUNDLE makes rclone refuse to start
 * on plain http (its transport has no CA to load), and the clients must use only the keys given.
 */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const rest = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  return { ...rest, ...extra };
}

function run(cmd: string, args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: env(extraEnv), timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

/** rclone with a remote `p:` of type s3 (provider Other, path style) at `endpoint`, as its docs configure one (its bucket check left on). */
export function rclone(dir: string, endpoint: string): (...args: string[]) => Promise<Run> {
  const conf = join(dir, 'rclone.conf');
  writeFileSync(conf, `[p]\ntype = s3\nprovider = Other\naccess_key_id = ${VIEWER.accessKeyId}\nsecret_access_key = ${VIEWER.secretAccessKey}\nendpoint = ${endpoint}\nforce_path_style = true\nregion = us-east-1\n`);
  return (...args) => run('rclone', ['--config', conf, ...args]);
}

/** s3cmd with `host:port` as its S3 endpoint, path style, SigV4, plain http. */
export function s3cmd(dir: string, hostPort: string): (...args: string[]) => Promise<Run> {
  const conf = join(dir, 's3cfg');
  writeFileSync(conf, `[default]\naccess_key = ${VIEWER.accessKeyId}\nsecret_key = ${VIEWER.secretAccessKey}\nhost_base = ${hostPort}\nhost_bucket = ${hostPort}\nuse_https = False\nsignature_v2 = False\nbucket_location = us-east-1\n`);
  return (...args) => run('s3cmd', ['-c', conf, ...args]);
}

/**
 * The AWS CLI (`aws <args> --endpoint-url <endpoint>`) with the viewer's keys in its environment
 * and a config file of its own: region us-east-1, path-style addressing, no instance metadata.
 */
export function awsCli(dir: string, endpoint: string): (...args: string[]) => Promise<Run> {
  const config = join(dir, 'aws-config');
  writeFileSync(config, '[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n');
  const extra = {
    AWS_ACCESS_KEY_ID: VIEWER.accessKeyId,
    AWS_SECRET_ACCESS_KEY: VIEWER.secretAccessKey,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  return (...args) => run(AWS_CLI, [...args, '--endpoint-url', endpoint], extra);
}
