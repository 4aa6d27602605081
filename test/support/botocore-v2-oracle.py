#!/usr/bin/env python3
"""SigV2 as botocore signs it (HmacV1Auth, HmacV1QueryAuth: the AWS CLI's S3 signers before
SigV4), for the oracle test (test/unit/signing/sigv2-oracle-botocore.property.test.ts).
Dev-only: Debian's python3-botocore (scripts/botocore/install.sh).

stdin: a JSON list of requests; stdout: a JSON list of results, in the same order.
A request: method, url (scheme://host/path?query, the wire form), auth_path (/bucket/path for a
virtual-hosted request, else null), headers [[name, value]], access_key_id, secret_access_key,
session_token (or null), mode ('header' or 'query'), date_slot (what the Date slot holds: '' in
header mode, where x-amz-date is sent; the Expires epoch seconds in query mode).
A result: string_to_sign, signature, and in query mode url (the presigned URL).

The date is injected through _get_date, botocore's own clock hook (HmacV1QueryAuth overrides it
for Expires); nothing else of the signers is changed.
"""
import json
import sys
from urllib.parse import urlsplit

from botocore.auth import HmacV1Auth, HmacV1QueryAuth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials


class HeaderAuth(HmacV1Auth):
    def __init__(self, credentials, date_slot):
        super().__init__(credentials)
        self._date_slot = date_slot

    def _get_date(self):
        return self._date_slot


class QueryAuth(HmacV1QueryAuth):
    def __init__(self, credentials, date_slot):
        super().__init__(credentials, expires=0)
        self._date_slot = date_slot

    def _get_date(self):
        return self._date_slot


def sign(r):
    credentials = Credentials(r["access_key_id"], r["secret_access_key"], r.get("session_token"))
    headers = HTTPHeaders()
    for name, value in r["headers"]:
        headers[name] = value  # appends: a repeated header stays repeated
    signer = (HeaderAuth if r["mode"] == "header" else QueryAuth)(credentials, r["date_slot"])
    split = urlsplit(r["url"])
    signature = signer.get_signature(r["method"], split, headers, auth_path=r["auth_path"])
    out = {
        "string_to_sign": signer.canonical_string(r["method"], split, headers, auth_path=r["auth_path"]),
        "signature": signature,
    }
    if r["mode"] == "query":
        request = AWSRequest(method=r["method"], url=r["url"])
        request.headers = headers
        signer._inject_signature(request, signature)
        out["url"] = request.url
    return out


def main():
    requests = json.load(sys.stdin)
    json.dump([sign(r) for r in requests], sys.stdout)


if __name__ == "__main__":
    main()
