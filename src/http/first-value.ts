/** A header's value as node:http and undici give it (a list when repeated): its first, or undefined. */
export const firstValue = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
