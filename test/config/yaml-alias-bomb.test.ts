// README "Configuration reference": a "billion laughs" file (anchors nested so one alias expands
// to 10^9 values) hit the yaml library's alias-count guard, which threw out of validation with no
// file or line (`check` exited 2). It is now a located OS_ERR_CONFIG_INVALID problem at the alias.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigText, loadConfigText } from '../../src/config/load.js';
import { ConfigError, formatPath } from '../../src/config/problems.js';

const level = (i: number): string => `a${i}: &a${i} [${Array.from({ length: 10 }, () => (i === 0 ? 'x' : `*a${i - 1}`)).join(', ')}]`;
const TEXT = `${Array.from({ length: 9 }, (_, i) => level(i)).join('\n')}\nserver: *a8\n`;

test('an alias bomb is a located problem, not an exception', () => {
  const report = checkConfigText(TEXT, 'laughs.yaml');
  assert.equal(report.config, undefined);
  assert.equal(report.problems.length, 1);
  const [p] = report.problems;
  assert.equal(formatPath(p!.path), 'server');
  assert.deepEqual([p!.line, p!.col], [10, 9]);
  assert.match(p!.message, /too many aliases/);
  assert.throws(() => loadConfigText(TEXT, 'laughs.yaml'), ConfigError);
});
