"""`duplex ca`: the development CA and server certificate of issue 5, checked with OpenSSL.

- the first run creates $XDG_DATA_HOME/duplex/ (0700) with ca.pem, ca.key (0600), server.pem
  (the leaf, then the CA) and server.key (0600), and prints the paths and SPKI SHA-256 values;
- `openssl verify -x509_strict` and `duplex x509 verify` accept server.pem under ca.pem for
  localhost, 127.0.0.1 and ::1 as a TLS server; `openssl x509 -text` shows the SANs, the CA flags and the key usages;
- the printed SPKI hashes are what OpenSSL computes from the certificates;
- a second run reuses every file; a missing or nearly expired server certificate is issued again
  under the same CA;
- `duplex tls serve` with server.pem and server.key passes `openssl s_client -verify_return_error`
  with ca.pem as the only trust anchor.
The real home directory is never touched: XDG_DATA_HOME points into a temporary directory.
Run: /usr/bin/python3 dev_ca.py PATH/TO/duplex
"""

import base64
import datetime
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop  # noqa: E402
import tlsinterop as t  # noqa: E402

DUPLEX = interop.duplex_binary()
interop.start_watchdog(60)
if not shutil.which("openssl"):
    interop.skip("openssl is not installed (scripts/install-deps.sh installs it)")

ROOT = tempfile.mkdtemp(prefix="duplex-dev-ca-")
DATA_HOME = os.path.join(ROOT, "data")  # does not exist yet: duplex makes it
DIR = os.path.join(DATA_HOME, "duplex")
FILES = ["ca.pem", "ca.key", "server.pem", "server.key"]


def path(name):
    return os.path.join(DIR, name)


def duplex_ca():
    """Runs `duplex ca` with the temporary XDG_DATA_HOME; returns (fields of stdout, stderr)."""
    env = dict(os.environ, XDG_DATA_HOME=DATA_HOME)
    result = subprocess.run([DUPLEX, "ca"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            timeout=20)
    assert result.returncode == 0, f"duplex ca exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    fields = {}
    for line in result.stdout.splitlines():
        name, sep, value = line.partition(": ")
        if sep:
            fields[name] = value
    return fields, result.stderr, result.stdout


def openssl(*args):
    result = subprocess.run(["openssl", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=20)
    assert result.returncode == 0, f"openssl {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def spki_sha256(certificate_file):
    """RFC 7469 §2.4: base64(SHA-256(SubjectPublicKeyInfo DER)), computed by OpenSSL's parse."""
    pem = openssl("x509", "-in", certificate_file, "-noout", "-pubkey")
    body = "".join(line for line in pem.splitlines() if not line.startswith("-----"))
    return base64.b64encode(hashlib.sha256(base64.b64decode(body)).digest()).decode()


def snapshot():
    return {name: open(path(name), "rb").read() for name in FILES}


def mode(name):
    return stat.S_IMODE(os.stat(path(name)).st_mode)


def dates(certificate_file):
    out = openssl("x509", "-in", certificate_file, "-noout", "-startdate", "-enddate")
    values = dict(line.split("=", 1) for line in out.splitlines())
    parse = lambda text: datetime.datetime.strptime(text, "%b %d %H:%M:%S %Y %Z")  # noqa: E731
    return parse(values["notBefore"]), parse(values["notAfter"])


first = {}


def first_run_creates_private_files():
    fields, err, out = duplex_ca()
    first.update(fields=fields, files=snapshot())
    assert "created a new development CA" in err, err
    assert fields.get("CA certificate") == path("ca.pem"), out
    assert fields.get("server key") == path("server.key"), out
    assert "--ignore-certificate-errors-spki-list=" + fields["CA SPKI SHA-256"] in out, out
    assert stat.S_IMODE(os.stat(DIR).st_mode) == 0o700, oct(os.stat(DIR).st_mode)
    assert mode("ca.key") == 0o600 and mode("server.key") == 0o600, (oct(mode("ca.key")), oct(mode("server.key")))
    assert not os.path.exists(path("ca.pem.tmp"))


def openssl_verifies_the_chain():
    base = ["verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", path("ca.pem")]
    for check in (["-verify_hostname", "localhost"], ["-verify_ip", "127.0.0.1"], ["-verify_ip", "::1"]):
        out = openssl(*base, *check, path("server.pem"))
        assert out.strip().endswith(": OK"), out
    result = subprocess.run(["openssl", *base, "-verify_hostname", "example.com", path("server.pem")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert result.returncode != 0, "a name outside the SAN verified"


def our_validator_accepts_the_chain():
    for check in (["--host", "localhost"], ["--ip", "127.0.0.1"], ["--ip", "::1"]):
        result = subprocess.run([DUPLEX, "x509", "verify", path("server.pem"), "--roots", path("ca.pem"),
                                 "--purpose", "server", *check], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, timeout=20)
        assert result.returncode == 0, f"duplex x509 verify {check}: {result.stdout}{result.stderr}"


def server_pem_is_leaf_then_ca():
    text = open(path("server.pem")).read()
    assert text.count("-----BEGIN CERTIFICATE-----") == 2, text
    ca_block = open(path("ca.pem")).read()
    assert text.endswith(ca_block), "the second certificate of server.pem is not ca.pem"


def certificates_say_what_they_are():
    ca = openssl("x509", "-in", path("ca.pem"), "-noout", "-text")
    assert re.search(r"Subject: .*CN = duplex development CA", ca), ca
    assert "CA:TRUE, pathlen:0" in ca, ca
    assert "Certificate Sign, CRL Sign" in ca, ca
    assert "NIST CURVE: P-256" in ca and "ecdsa-with-SHA256" in ca, ca
    leaf = openssl("x509", "-in", path("server.pem"), "-noout", "-text")
    assert "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1" in leaf, leaf
    assert "TLS Web Server Authentication" in leaf, leaf
    assert "Digital Signature" in leaf and "CA:FALSE" in leaf, leaf
    assert "NIST CURVE: P-256" in leaf, leaf
    not_before, not_after = dates(path("ca.pem"))
    assert (not_after - not_before).days >= 3649, (not_before, not_after)
    not_before, not_after = dates(path("server.pem"))
    assert (not_after - not_before).days <= 825, (not_before, not_after)
    for key in ("ca.key", "server.key"):
        openssl("pkey", "-in", path(key), "-noout")


def printed_hashes_match_openssl():
    fields = first["fields"]
    assert fields["CA SPKI SHA-256"] == spki_sha256(path("ca.pem")), fields
    assert fields["server SPKI SHA-256"] == spki_sha256(path("server.pem")), fields


def second_run_reuses_everything():
    fields, err, out = duplex_ca()
    assert "created" not in err, err
    assert fields == first["fields"], (fields, first["fields"])
    assert snapshot() == first["files"], "a file changed on the second run"


def missing_server_certificate_is_issued_again():
    os.unlink(path("server.pem"))
    fields, err, _ = duplex_ca()
    assert "created" not in err, err
    assert fields["CA SPKI SHA-256"] == first["fields"]["CA SPKI SHA-256"]
    assert fields["server SPKI SHA-256"] != first["fields"]["server SPKI SHA-256"], "the server key was not renewed"
    assert open(path("ca.pem"), "rb").read() == first["files"]["ca.pem"]
    openssl("verify", "-CAfile", path("ca.pem"), path("server.pem"))


def nearly_expired_server_certificate_is_issued_again():
    # A server certificate of the same CA that ends in 3 days (within the 7-day margin).
    csr = os.path.join(ROOT, "server.csr")
    openssl("req", "-new", "-key", path("server.key"), "-subj", "/CN=localhost", "-out", csr)
    openssl("x509", "-req", "-in", csr, "-CA", path("ca.pem"), "-CAkey", path("ca.key"), "-days", "3",
            "-out", path("server.pem"))
    before, _, _ = duplex_ca()
    _, not_after = dates(path("server.pem"))
    assert (not_after - datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)).days > 800, not_after
    assert before["CA SPKI SHA-256"] == first["fields"]["CA SPKI SHA-256"]
    openssl("verify", "-x509_strict", "-CAfile", path("ca.pem"), "-verify_hostname", "localhost", path("server.pem"))


def tls_server_with_dev_certificate_passes_openssl_client():
    server = t.DuplexTlsServer(DUPLEX, ["--cert", path("server.pem"), "--key", path("server.key"), "--www"])
    try:
        client = t.talk(["openssl", "s_client", "-connect", f"127.0.0.1:{server.port}", "-servername", "localhost",
                         "-CAfile", path("ca.pem"), "-verify_return_error", "-verify_hostname", "localhost",
                         "-brief", "-ign_eof"],
                        t.http_get(), until=lambda out: b"</pre>" in out)
        assert "Verification: OK" in client.stderr(), client.stderr()
    finally:
        server.stop()


try:
    interop.run_checks([
        ("the first run creates the CA and server files, keys 0600 in a 0700 directory",
         first_run_creates_private_files),
        ("openssl verify -x509_strict accepts server.pem for localhost, 127.0.0.1 and ::1", openssl_verifies_the_chain),
        ("duplex x509 verify accepts server.pem for localhost, 127.0.0.1 and ::1", our_validator_accepts_the_chain),
        ("server.pem holds the leaf, then the CA", server_pem_is_leaf_then_ca),
        ("openssl x509 -text shows the SANs, CA flags, key usages and lifetimes", certificates_say_what_they_are),
        ("the printed SPKI SHA-256 values are OpenSSL's", printed_hashes_match_openssl),
        ("a second run reuses every file", second_run_reuses_everything),
        ("a missing server certificate is issued again under the same CA", missing_server_certificate_is_issued_again),
        ("a server certificate expiring within 7 days is issued again",
         nearly_expired_server_certificate_is_issued_again),
        ("duplex tls serve with the development certificate passes openssl s_client",
         tls_server_with_dev_certificate_passes_openssl_client),
    ])
finally:
    shutil.rmtree(ROOT, ignore_errors=True)
