/**
 * The yaml library's message for a syntax error, without the source text some of them quote
 * (`Block scalar header includes extra characters: |<the rest of the line>`, a tag, an escape):
 * that text is often a secret that was not quoted. Its kind and the line and column stay.
 */
const QUOTING: ReadonlyArray<[RegExp, string]> = [
  [/^Invalid escape sequence\b.*/, 'Invalid escape sequence'],
  [/^Unknown directive\b.*/, 'Unknown directive'],
  [/^Unsupported YAML version\b.*/, 'Unsupported YAML version'],
  [/^The .* tag has no suffix$/, 'A tag has no suffix'],
  [/^Verbatim tags aren't resolved\b.*/, "Verbatim tags aren't resolved"],
  [/^Anchors and tags must be after the .* indicator$/, 'Anchors and tags must be after the indicator'],
  [/^Value may be parsed as either .*/, 'Value may be parsed as more than one type'],
];

export function yamlMessage(raw: string): string {
  let m = (raw.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  for (const [re, replacement] of QUOTING) m = m.replace(re, replacement);
  // `Unexpected , in flow map` names an indicator; any longer text there is source.
  m = m.replace(/^Unexpected (.+) in (flow map|flow sequence|collection)$/, (all, what: string, where: string) => (what.length > 1 ? `Unexpected token in ${where}` : all));
  // Everything else that quotes the source puts it after a colon (`…: |abc`, `Unresolved tag: !abc`).
  return m.replace(/(?<=\w):(\s.*)?$/, '');
}
