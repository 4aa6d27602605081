#!/usr/bin/env python3
"""SigV4A as AWS's C runtime signs it (awscrt -> aws-c-auth), for the oracle test
(test/unit/signing/sigv4a-oracle-awscrt.property.test.ts). Dev-only: Debian's python3-awscrt
(scripts/awscrt/install.sh).

stdin: a JSON list of requests; stdout: a JSON list of the signed requests, in the same order.
A request: method, path (wire form), query (wire form, without '?'), headers [[name, value]],
access_key_id, secret_access_key, session_token (or null), region_set, service, amz_date
(yyyymmddThhmmssZ), mode ('header' or 'query'), expires (query mode), payload_hash,
content_sha256_header (header mode: send and sign x-amz-content-sha256), normalize (false: S3's
path rule, no normalisation and no second encoding).
A signed request: path (with the query), headers [[name, value]].
"""
import datetime
import json
import sys

from awscrt import auth, http


def sign(r):
    target = r["path"] + ("?" + r["query"] if r["query"] else "")
    request = http.HttpRequest(r["method"], target, http.HttpHeaders([tuple(h) for h in r["headers"]]))
    date = datetime.datetime.strptime(r["amz_date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    header_mode = r["mode"] == "header"
    config = auth.AwsSigningConfig(
        algorithm=auth.AwsSigningAlgorithm.V4_ASYMMETRIC,
        signature_type=auth.AwsSignatureType.HTTP_REQUEST_HEADERS if header_mode else auth.AwsSignatureType.HTTP_REQUEST_QUERY_PARAMS,
        credentials_provider=auth.AwsCredentialsProvider.new_static(r["access_key_id"], r["secret_access_key"], r.get("session_token")),
        region=r["region_set"],
        service=r["service"],
        date=date,
        use_double_uri_encode=r["normalize"],
        should_normalize_uri_path=r["normalize"],
        signed_body_value=r["payload_hash"],
        signed_body_header_type=auth.AwsSignedBodyHeaderType.X_AMZ_CONTENT_SHA_256 if header_mode and r["content_sha256_header"] else auth.AwsSignedBodyHeaderType.NONE,
        expiration_in_seconds=None if header_mode else r["expires"],
    )
    signed = auth.aws_sign_request(request, config).result()
    return {"path": signed.path, "headers": [list(h) for h in signed.headers]}


def main():
    requests = json.load(sys.stdin)
    json.dump([sign(r) for r in requests], sys.stdout)


if __name__ == "__main__":
    main()
