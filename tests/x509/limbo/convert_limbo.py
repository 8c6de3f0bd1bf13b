#!/usr/bin/python3
"""Converts x509-limbo's limbo.json(.xz) into the line format limbo_harness.cpp reads.

Standard library only (json, lzma). One block per testcase:

    case ID
    expected SUCCESS|FAILURE
    features F1 F2 ...          (may be empty)
    time UNIX_SECONDS|none      (fractions dropped: the verifier works in whole seconds)
    kind SERVER|CLIENT
    peer DNS|IP|RFC822|none VALUE
    max_depth N|none
    eku NAME ...                (serverAuth, clientAuth, ...; may be empty)
    ku NAME ...                 (digitalSignature, ...: what the leaf's keyUsage must allow)
    crls N
    trusted BASE64_DER          (one line per certificate)
    intermediate BASE64_DER
    leaf BASE64_DER
    crl BASE64_DER              (one line per CRL)
    end

usage: convert_limbo.py limbo.json.xz OUTPUT
"""
import datetime
import json
import lzma
import sys


def der_lines(pem):
    """The base64 body of each CERTIFICATE block in `pem`."""
    out, body, inside = [], [], False
    for line in pem.splitlines():
        line = line.strip()
        if line.startswith("-----BEGIN"):
            inside, body = True, []
        elif line.startswith("-----END"):
            inside = False
            out.append("".join(body))
        elif inside:
            body.append(line)
    return out


def unix_time(text):
    if text is None:
        return "none"
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return str(int(moment.timestamp() // 1))


def main():
    source, target = sys.argv[1], sys.argv[2]
    opener = lzma.open if source.endswith(".xz") else open
    with opener(source, "rt", encoding="utf-8") as handle:
        suite = json.load(handle)
    with open(target, "w", encoding="ascii") as out:
        for case in suite["testcases"]:
            peer = case.get("expected_peer_name") or {}
            depth = case.get("max_chain_depth")
            out.write(f"case {case['id']}\n")
            out.write(f"expected {case['expected_result']}\n")
            out.write("features " + " ".join(case.get("features") or []) + "\n")
            out.write(f"time {unix_time(case.get('validation_time'))}\n")
            out.write(f"kind {case['validation_kind']}\n")
            out.write(f"peer {peer.get('kind', 'none')} {peer.get('value', '')}\n")
            out.write(f"max_depth {'none' if depth is None else depth}\n")
            out.write("eku " + " ".join(case.get("extended_key_usage") or []) + "\n")
            out.write("ku " + " ".join(case.get("key_usage") or []) + "\n")
            out.write(f"crls {len(case.get('crls') or [])}\n")
            for pem in case.get("trusted_certs") or []:
                for body in der_lines(pem):
                    out.write(f"trusted {body}\n")
            for pem in case.get("untrusted_intermediates") or []:
                for body in der_lines(pem):
                    out.write(f"intermediate {body}\n")
            for body in der_lines(case["peer_certificate"]):
                out.write(f"leaf {body}\n")
            for pem in case.get("crls") or []:
                for body in der_lines(pem):
                    out.write(f"crl {body}\n")
            out.write("end\n")


if __name__ == "__main__":
    main()
