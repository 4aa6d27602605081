import { namesSourceObject, NEVER_FORWARDED } from '../../http/never-forwarded.js';
import { error, warning, type ConfigPath, type Finding } from '../problems.js';

/**
 * `signing.includeHeaders` cannot forward a header that names a source object: a viewer could copy
 * any object the proxy's credentials read into the block. A header that is never forwarded
 * (credentials, signing inputs, hop-by-hop) does nothing there: said, so the list means what it shows.
 */
export function includeHeaderFindings(includeHeaders: readonly string[], block: ConfigPath): Finding[] {
  const out: Finding[] = [];
  includeHeaders.forEach((name, i) => {
    const at = [...block, 'signing', 'includeHeaders', i];
    if (namesSourceObject(name)) out.push(error(at, `${name} would let a viewer copy or rename another object, which may lie outside the block, into it: server-side copy is not served; remove it`));
    else if (NEVER_FORWARDED.has(name)) out.push(warning(at, `${name} is never forwarded (viewer credentials, signing and hop-by-hop headers are the proxy's own); remove it`));
  });
  return out;
}
