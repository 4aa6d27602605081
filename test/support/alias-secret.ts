/** A secret written unquoted after `*`: YAML reads it as an alias (hunt, 2026-12-07). Tests look for its `SeCrEt`. */
const ALIAS_SECRET = 'SeCrEtAlias/K7MDENG+bPxRfiCY';

/** A config whose secretAccessKey is that alias, on line 4 (col 22) without `server`, line 5 with it. */
export const aliasSecretConfig = (server = ''): string => `${server}credentials:
  main:
    accessKeyId: AKIAEXAMPLE
    secretAccessKey: *${ALIAS_SECRET}
proxies:
  - path: /vod/
    upstream: { bucket: bucket-one, region: eu-central-1 }
    credentials: main
`;
