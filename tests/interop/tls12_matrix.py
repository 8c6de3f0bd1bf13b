"""One cell of the TLS 1.2 interop matrix (issue 10): an ECDHE cipher suite, a group and a
certificate key, between duplex and one real peer on 127.0.0.1, with TLS 1.2 the only version.

    tls12_matrix.py DUPLEX PEER SUITE GROUP KEY
    PEER:  openssl_server gnutls_server go_server (our client against them)
           openssl_client gnutls_client go_client curl (they connect to our server)
    SUITE: ecdsa_aes128 ecdsa_aes256 ecdsa_chacha (KEY ecdsa or ed25519)
           rsa_aes128 rsa_aes256 rsa_chacha (KEY rsa)
    GROUP: x25519 p256 p384

Both sides speak TLS 1.2 only and are restricted to the cell's suite; the side that chooses the
group (the server) takes only the cell's group. Then bytes cross both ways (an HTTP GET and its
page, or an echo), and both sides' accounts of the handshake are checked: version, suite, group
and signature scheme.

Every peer here signs and verifies Ed25519 in TLS 1.2 (RFC 8422 §5.1.3: OpenSSL 3.0, GnuTLS 3.7,
Go's crypto/tls, curl through OpenSSL), so no Ed25519 cell is skipped.

The ECDSA P-256 cells off P-256 (x25519, p384): in TLS 1.2 the client's supported_groups also
names the curves it accepts in the server's ECDSA certificate (RFC 8422 §4, §5.3; OpenSSL's
client enforces it with "wrong curve", OpenSSL's and Go's servers by not choosing the suite). So
the client offers the cell's group and secp256r1, and the server, restricted to the cell's group,
must still use the cell's group for ECDHE. Ed25519 and RSA cells offer the cell's group alone.
"""

import os
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tlsinterop as t  # noqa: E402
from tls_matrix import go_peer_binary  # noqa: E402

# IANA names (ours and Go's), OpenSSL's names, GnuTLS's key exchange and cipher; the keys each
# suite's authentication allows.
SUITES = {
    "ecdsa_aes128": {"rfc": "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "openssl": "ECDHE-ECDSA-AES128-GCM-SHA256",
                     "gnutls_kx": "ECDHE-ECDSA", "gnutls": "AES-128-GCM", "keys": ("ecdsa", "ed25519")},
    "ecdsa_aes256": {"rfc": "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "openssl": "ECDHE-ECDSA-AES256-GCM-SHA384",
                     "gnutls_kx": "ECDHE-ECDSA", "gnutls": "AES-256-GCM", "keys": ("ecdsa", "ed25519")},
    "ecdsa_chacha": {"rfc": "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                     "openssl": "ECDHE-ECDSA-CHACHA20-POLY1305", "gnutls_kx": "ECDHE-ECDSA",
                     "gnutls": "CHACHA20-POLY1305", "keys": ("ecdsa", "ed25519")},
    "rsa_aes128": {"rfc": "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "openssl": "ECDHE-RSA-AES128-GCM-SHA256",
                   "gnutls_kx": "ECDHE-RSA", "gnutls": "AES-128-GCM", "keys": ("rsa",)},
    "rsa_aes256": {"rfc": "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "openssl": "ECDHE-RSA-AES256-GCM-SHA384",
                   "gnutls_kx": "ECDHE-RSA", "gnutls": "AES-256-GCM", "keys": ("rsa",)},
    "rsa_chacha": {"rfc": "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "openssl": "ECDHE-RSA-CHACHA20-POLY1305",
                   "gnutls_kx": "ECDHE-RSA", "gnutls": "CHACHA20-POLY1305", "keys": ("rsa",)},
}
# Each peer's names for the groups: OpenSSL's "Server Temp Key" and "Shared groups", Go's flag,
# GnuTLS's Description.
GROUP_NAMES = {
    "x25519": {"temp_key": "X25519", "shared": "x25519", "go": "x25519", "description": "X25519"},
    "p256": {"temp_key": "ECDH, prime256v1", "shared": "secp256r1", "go": "p256", "description": "SECP256R1"},
    "p384": {"temp_key": "ECDH, secp384r1", "shared": "secp384r1", "go": "p384", "description": "SECP384R1"},
}
# The ServerKeyExchange signature each key gives (both sides prefer RSA-PSS in 1.2 as in 1.3),
# and how OpenSSL's -brief and GnuTLS's Description name it.
SCHEMES = {"ecdsa": "ecdsa_secp256r1_sha256", "ed25519": "ed25519", "rsa": "rsa_pss_rsae_sha256"}
OPENSSL_SIGNATURE = {"ecdsa": "ECDSA", "ed25519": "ed25519", "rsa": "RSA-PSS"}
GNUTLS_SIGNATURE = {"ecdsa": "ECDSA-SHA256", "ed25519": "EdDSA-Ed25519", "rsa": "RSA-PSS-RSAE-SHA256"}
# Go's crypto/tls before 1.21 does not do Extended Master Secret (RFC 7627); the others do.
GO_HAS_EMS = False


def offered_groups(group, key):
    """The client's supported_groups: the cell's group, and secp256r1 beside it for an ECDSA
    P-256 certificate (see the module's comment)."""
    if key == "ecdsa" and group != "p256":
        return [group, "p256"]
    return [group]


def gnutls_priority(suite, groups):
    return ("NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+" + suite["gnutls_kx"] + ":-CIPHER-ALL:+" + suite["gnutls"] +
            ":-GROUP-ALL:" + ":".join("+" + t.GROUPS[g]["gnutls"] for g in groups))


def gnutls_description(suite, group, key):
    return f"(TLS1.2-X.509)-(ECDHE-{GROUP_NAMES[group]['description']})-({GNUTLS_SIGNATURE[key]})-({suite['gnutls']})"


def server_cell(duplex, peer, suite, group, key, pki):
    cert, keyfile = pki.leaf(key)
    rfc_group = t.GROUPS[group]["rfc"]
    server = t.DuplexTlsServer(duplex, ["--cert", cert, "--key", keyfile, "--www", "--versions", "1.2",
                                        "--ciphers", suite["rfc"], "--groups", rfc_group])
    offered = offered_groups(group, key)
    host = "localhost"
    ems = True
    try:
        if peer == "openssl_client":
            t.require("openssl")
            client = t.talk(["openssl", "s_client", "-connect", f"127.0.0.1:{server.port}", "-servername", host,
                             "-tls1_2", "-cipher", suite["openssl"], "-groups",
                             ":".join(t.GROUPS[g]["openssl"] for g in offered), "-CAfile", pki.ca,
                             "-verify_return_error", "-verify_hostname", host, "-brief", "-ign_eof"],
                            t.http_get(), until=lambda out: b"</pre>" in out)
            said = client.stderr()
            for line in ("Verification: OK", "Protocol version: TLSv1.2", f"Ciphersuite: {suite['openssl']}",
                         f"Server Temp Key: {GROUP_NAMES[group]['temp_key']}",
                         f"Signature type: {OPENSSL_SIGNATURE[key]}"):
                assert line in said, f"no '{line}' from s_client:\n{said}"
            page = client.stdout().decode()
        elif peer == "gnutls_client":
            t.require("gnutls-cli")
            client = t.talk(["gnutls-cli", "--port", str(server.port), "--x509cafile", pki.ca,
                             "--priority", gnutls_priority(suite, offered), "--logfile", "/dev/stderr", host],
                            t.http_get(), until=lambda out: b"</pre>" in out)
            description = gnutls_description(suite, group, key)
            assert f"- Description: {description}" in client.stderr(), \
                f"no '{description}' from gnutls-cli:\n{client.stderr()}"
            page = client.stdout().decode(errors="replace")
        elif peer == "curl":
            t.require("curl")
            result = subprocess.run(["curl", "-sS", "-v", "--max-time", "15", "--cacert", pki.ca, "--resolve",
                                     f"{host}:{server.port}:127.0.0.1", "--tlsv1.2", "--tls-max", "1.2",
                                     "--ciphers", suite["openssl"],
                                     "--curves", ":".join(t.GROUPS[g]["curl"] for g in offered),
                                     f"https://{host}:{server.port}/"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
            said = result.stderr.decode()
            assert result.returncode == 0, f"curl failed ({result.returncode}): {said}"
            assert f"SSL connection using TLSv1.2 / {suite['openssl']}" in said, said
            page = result.stdout.decode()
        elif peer == "go_client":
            binary = go_peer_binary(duplex)
            result = subprocess.run([binary, "-addr", f"127.0.0.1:{server.port}", "-servername", host,
                                     "-cafile", pki.ca, "-max-version", "1.2", "-ciphers", suite["rfc"],
                                     "-group", ",".join(GROUP_NAMES[g]["go"] for g in offered)],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
            assert result.returncode == 0, f"the Go client failed: {result.stderr.decode()}"
            page = result.stdout.decode()
            assert f"version=303 suite={suite['rfc']}" in page, page
            ems = GO_HAS_EMS
        else:
            raise SystemExit(f"unknown peer {peer}")
        # The page is the server's own account of the handshake (its "Protocol" line is not: it
        # says TLSv1.3 whatever was negotiated; the log line below names the version).
        assert f"Cipher        : {suite['rfc']}" in page, page
        assert f"Key exchange  : {rfc_group}" in page, page
        assert f"Signature     : {SCHEMES[key]}" in page, page
        expected = f"TLS 1.2 {suite['rfc']} {rfc_group} {SCHEMES[key]}" + ("" if ems else " no-ems")
        server.wait_for(lambda p: f" {expected} " in p.stderr() + " ", what=f"'{expected}' in the server's log")
        # No alert either way (a peer that hangs up without close_notify after ours is fine).
        assert "failure: sent" not in server.stderr() and "failure: received" not in server.stderr(), server.stderr()
    finally:
        server.stop()


def client_cell(duplex, peer, suite, group, key, pki):
    cert, keyfile = pki.leaf(key)
    port = t.free_port()
    ems = True
    request = t.http_get()
    if peer == "openssl_server":
        t.require("openssl")
        server = t.Process(["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", cert, "-key", keyfile,
                            "-tls1_2", "-cipher", suite["openssl"], "-groups", t.GROUPS[group]["openssl"], "-www"])
        until = lambda out: b"</HTML>" in out  # noqa: E731
    elif peer == "gnutls_server":
        t.require("gnutls-serv")
        server = t.Process(["gnutls-serv", "--port", str(port), "--x509certfile", cert, "--x509keyfile", keyfile,
                            "--priority", gnutls_priority(suite, [group]), "--http"])
        until = lambda out: b"</HTML>" in out.upper()  # noqa: E731
    elif peer == "go_server":
        server = t.Process([go_peer_binary(duplex), "-listen", "127.0.0.1:0", "-cert", cert, "-key", keyfile,
                            "-max-version", "1.2", "-ciphers", suite["rfc"], "-group", GROUP_NAMES[group]["go"]])
        server.wait_for(lambda p: b"listening on" in p.stdout(), what="the Go server's address")
        port = int(server.stdout().split(b"listening on ")[1].split(b"\n")[0].rsplit(b":", 1)[1])
        request = os.urandom(24).hex().encode() + b"\n"  # echoed back
        until = lambda out: request in out  # noqa: E731
        ems = GO_HAS_EMS
    else:
        raise SystemExit(f"unknown peer {peer}")
    try:
        if peer != "go_server":  # it serves one connection, and its line said it listens
            t.wait_for_port(port)
        client = t.talk([duplex, "tls", "connect", f"127.0.0.1:{port}", "--servername", "localhost",
                         "--cafile", pki.ca, "--versions", "1.2", "--ciphers", suite["rfc"],
                         "--groups", ",".join(t.GROUPS[g]["rfc"] for g in offered_groups(group, key))],
                        request, until=until)
        summary = client.stderr()
        assert "* TLS 1.2 handshake complete" in summary, summary
        t.expect_field(summary, "cipher suite", suite["rfc"])
        t.expect_field(summary, "key exchange", t.GROUPS[group]["rfc"])
        t.expect_field(summary, "server signature", SCHEMES[key])
        t.expect_field(summary, "extended master", "yes (RFC 7627)" if ems else "no: the server does not do RFC 7627")
        assert "failure: sent" not in summary and "failure: received" not in summary, summary
        page = client.stdout().decode(errors="replace")
        if peer == "openssl_server":
            for line in ("Protocol  : TLSv1.2", f"Cipher is {suite['openssl']}",
                         f"Shared groups: {GROUP_NAMES[group]['shared']}\n", "Extended master secret: yes"):
                assert line in page, f"no '{line.strip()}' on s_server's page:\n{page}"
        elif peer == "gnutls_server":
            description = gnutls_description(suite, group, key)
            assert "<TD>Protocol version:</TD><TD>TLS1.2</TD>" in page, page
            assert f"<TD>Description:</TD><TD>{description}</TD>" in page, page
        elif peer == "go_server":
            assert server.finish() == 0, server.stderr()
            said = server.stdout().decode()
            assert f"version=303 suite={suite['rfc']}" in said, said
            assert f"echoed {len(request)} bytes" in said, said
    finally:
        server.stop()


def main():
    duplex, peer, suite, group, key = sys.argv[1:6]
    if suite not in SUITES or group not in GROUP_NAMES or key not in SUITES[suite]["keys"]:
        raise SystemExit(f"no such cell: {suite} {group} {key}")
    if peer.startswith("gnutls"):
        t.in_private_network(sys.argv)
    t.start_watchdog(60)
    t.require("openssl")
    directory = t.workdir()
    try:
        pki = t.Pki(directory)
        cell = (duplex, peer, SUITES[suite], group, key, pki)
        if peer.endswith("_server"):
            client_cell(*cell)
        else:
            server_cell(*cell)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    t.log(f"ok   {peer} {suite} {group} {key}")


if __name__ == "__main__":
    main()
