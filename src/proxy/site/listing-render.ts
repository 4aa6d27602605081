import { uriEncode } from '../../signing/uri-encode.js';
import type { ListEntry } from './list-page.js';

/**
 * A folder listing as HTML or JSON, written in pieces as the pages arrive. Names are HTML-escaped
 * and links are each segment URI-encoded behind `./`, so every key — spaces, `#`, `?`, `%`, `//`,
 * a name like `javascript:` — links to itself and nothing else.
 */
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `./` + each segment encoded; a folder keeps its trailing slash. */
export const hrefOf = (name: string): string => `./${name.split('/').map(uriEncode).join('/')}`;

const sizeText = (n: number): string => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MiB` : `${(n / 1024 ** 3).toFixed(1)} GiB`);

export interface ListingFormat {
  readonly contentType: string;
  /** `parent`: a link up to the enclosing folder (not at the block's root, which has none in the block). */
  head(path: string, parent: boolean): string;
  row(e: ListEntry, first: boolean): string;
  foot(): string;
}

/**
 * HTML: one flex column in which folders are ordered first (`order:-1`) while the rows are written
 * in the store's key order — so a listing streams page by page and still shows folders first.
 */
export const HTML: ListingFormat = {
  contentType: 'text/html; charset=utf-8',
  head: (path, parent) =>
    `<!doctype html>\n<html><head><meta charset="utf-8"><title>Index of ${escapeHtml(path)}</title><style>body{font:14px system-ui,sans-serif;margin:2em}ul{display:flex;flex-direction:column;list-style:none;padding:0}li{display:grid;grid-template-columns:1fr 8em 14em;gap:1em;padding:.2em 0}li.folder{order:-1}span.n{text-align:right}</style></head><body><h1>Index of ${escapeHtml(path)}</h1><ul>\n${parent ? '<li class="folder"><a href="../">../</a><span></span><span></span></li>\n' : ''}`,
  row: (e) =>
    e.kind === 'folder'
      ? `<li class="folder"><a href="${hrefOf(e.name)}">${escapeHtml(e.name)}</a><span></span><span></span></li>\n`
      : `<li><a href="${hrefOf(e.name)}">${escapeHtml(e.name)}</a><span class="n">${sizeText(e.size)}</span><span>${escapeHtml(e.lastModified)}</span></li>\n`,
  foot: () => '</ul></body></html>\n',
};

/** JSON: `{"path": …, "entries": [{"name", "type": "folder"} | {"name", "type": "object", "size", "lastModified", "etag"}]}`, in key order. */
export const JSON_FORMAT: ListingFormat = {
  contentType: 'application/json; charset=utf-8',
  head: (path) => `{"path":${JSON.stringify(path)},"entries":[`,
  row: (e, first) =>
    (first ? '\n' : ',\n') +
    JSON.stringify(e.kind === 'folder' ? { name: e.name, type: 'folder' } : { name: e.name, type: 'object', size: e.size, lastModified: e.lastModified, etag: e.etag }),
  foot: () => '\n]}\n',
};
