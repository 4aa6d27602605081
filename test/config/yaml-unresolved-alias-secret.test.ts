// README "Configuration reference": an unquoted secret that starts with `*` is a YAML alias; the
// yaml library's "Unresolved alias …" error quoted the text after `*` and escaped validation. It is
// now a located OS_ERR_CONFIG_INVALID problem at the alias, without the text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigText, loadConfigText } from '../../src/config/load.js';
import { ConfigError, formatPath } from '../../src/config/problems.js';
import { aliasSecretConfig } from '../support/alias-secret.js';

const TEXT = aliasSecretConfig();

test('an unresolved alias is a located problem that does not quote the alias', () => {
  const report = checkConfigText(TEXT, 'c.yaml');
  assert.equal(report.config, undefined);
  assert.equal(report.problems.length, 1);
  const [p] = report.problems;
  assert.equal(formatPath(p!.path), 'credentials.main.secretAccessKey');
  assert.deepEqual([p!.line, p!.col], [4, 22]);
  assert.match(p!.message, /unresolved alias: a value starting with \* must be quoted/);
  assert.throws(() => loadConfigText(TEXT, 'c.yaml'), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.code, 'OS_ERR_CONFIG_INVALID');
    assert.ok(!err.message.includes('SeCrEt'), err.message);
    return true;
  });
});
