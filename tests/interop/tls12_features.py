"""TLS 1.2 features against real peers (issue 10), one check per invocation:

    tls12_features.py DUPLEX CHECK

rsa_kx_server_aes128 rsa_kx_server_aes256   openssl s_client -cipher AES128-GCM-SHA256 (AES256-GCM-SHA384)
                                            to `duplex tls serve --legacy-rsa-key-exchange`
rsa_kx_client_aes128 rsa_kx_client_aes256   `duplex tls connect --legacy-rsa-key-exchange` to
                                            openssl s_server -cipher AES128-GCM-SHA256 (AES256-...)
rsa_kx_refused_server rsa_kx_refused_client the same without --legacy-rsa-key-exchange: a
                                            handshake_failure alert, seen by both sides
keylog_tshark_client keylog_tshark_server   tshark decrypts a TLS 1.2 ECDHE capture (against
                                            OpenSSL) with our key log's CLIENT_RANDOM line
rsa_tshark                                  tshark decrypts an RSA key transport capture with
                                            the server's private key alone
ecdsa_curve_server                          RFC 8422 §4: a client whose supported_groups lacks
                                            the certificate's curve is refused, not sent it
"""

import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tlsinterop as t  # noqa: E402

CHECKS = {}
RSA_SUITES = {
    "aes128": ("TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256"),
    "aes256": ("TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384"),
}


def check(function):
    CHECKS[function.__name__] = function
    return function


def our_server(duplex, pki, key, extra=()):
    cert, keyfile = pki.leaf(key)
    return t.DuplexTlsServer(duplex, ["--cert", cert, "--key", keyfile, "--www", "--versions", "1.2", *extra])


def s_client(port, pki, extra=(), request=None, until=None):
    return t.talk(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost", "-tls1_2",
                   "-CAfile", pki.ca, "-verify_return_error", "-brief", "-ign_eof", *extra],
                  request if request is not None else t.http_get(),
                  until=until or (lambda out: b"</pre>" in out))


def s_server(pki, key, extra=()):
    cert, keyfile = pki.leaf(key)
    port = t.free_port()
    server = t.Process(["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", cert, "-key", keyfile,
                        "-tls1_2", "-www", *extra])
    t.wait_for_port(port)
    return server, port


def our_client(duplex, port, pki, extra=(), request=None, until=None):
    return t.talk([duplex, "tls", "connect", f"127.0.0.1:{port}", "--servername", "localhost", "--cafile", pki.ca,
                   "--versions", "1.2", *extra],
                  request if request is not None else t.http_get(),
                  until=until or (lambda out: b"</HTML>" in out))


def rsa_kx_server(duplex, pki, suite):
    rfc, openssl = RSA_SUITES[suite]
    server = our_server(duplex, pki, "rsa", extra=["--legacy-rsa-key-exchange"])
    try:
        client = s_client(server.port, pki, extra=["-cipher", openssl])
        said = client.stderr()
        for line in ("Verification: OK", "Protocol version: TLSv1.2", f"Ciphersuite: {openssl}"):
            assert line in said, f"no '{line}' from s_client:\n{said}"
        assert "Server Temp Key" not in said, f"an ephemeral key in RSA key transport:\n{said}"
        page = client.stdout().decode()
        assert f"Cipher        : {rfc}" in page, page
        server.wait_for(lambda p: f"TLS 1.2 {rfc} rsa-key-transport" in p.stderr(), what="the server's handshake line")
        assert "failure: sent" not in server.stderr() and "failure: received" not in server.stderr(), server.stderr()
    finally:
        server.stop()


@check
def rsa_kx_server_aes128(duplex, pki):
    rsa_kx_server(duplex, pki, "aes128")


@check
def rsa_kx_server_aes256(duplex, pki):
    rsa_kx_server(duplex, pki, "aes256")


def rsa_kx_client(duplex, pki, suite):
    rfc, openssl = RSA_SUITES[suite]
    server, port = s_server(pki, "rsa", extra=["-cipher", openssl])
    try:
        client = our_client(duplex, port, pki, extra=["--legacy-rsa-key-exchange", "--ciphers", rfc])
        summary = client.stderr()
        assert "* TLS 1.2 handshake complete" in summary, summary
        t.expect_field(summary, "cipher suite", rfc)
        t.expect_field(summary, "key exchange", "RSA key transport (no forward secrecy)")
        t.expect_field(summary, "extended master", "yes (RFC 7627)")
        page = client.stdout().decode(errors="replace")
        for line in ("Protocol  : TLSv1.2", f"Cipher is {openssl}", "Extended master secret: yes"):
            assert line in page, f"no '{line}' on s_server's page:\n{page}"
    finally:
        server.stop()


@check
def rsa_kx_client_aes128(duplex, pki):
    rsa_kx_client(duplex, pki, "aes128")


@check
def rsa_kx_client_aes256(duplex, pki):
    rsa_kx_client(duplex, pki, "aes256")


@check
def rsa_kx_refused_server(duplex, pki):
    # RSA key transport is off by default: a client offering nothing else gets handshake_failure.
    server = our_server(duplex, pki, "rsa")
    try:
        client = t.Process(["openssl", "s_client", "-connect", f"127.0.0.1:{server.port}", "-tls1_2",
                            "-cipher", "AES128-GCM-SHA256", "-brief"], stdin=t.subprocess.PIPE)
        client.process.stdin.write(t.http_get())
        client.process.stdin.close()
        assert client.finish() != 0, client.stderr()
        assert "alert handshake failure" in client.stderr() and "SSL alert number 40" in client.stderr(), \
            client.stderr()
        assert "CONNECTION ESTABLISHED" not in client.stderr(), client.stderr()
        server.wait_for(lambda p: "failure: sent handshake_failure" in p.stderr(), what="the server's alert")
        assert "TLS 1.2 TLS_RSA" not in server.stderr(), server.stderr()
    finally:
        server.stop()


@check
def rsa_kx_refused_client(duplex, pki):
    # Our client does not offer RSA key transport by default: a server taking nothing else
    # refuses it with handshake_failure.
    server, port = s_server(pki, "rsa", extra=["-cipher", "AES128-GCM-SHA256"])
    try:
        client = t.Process([duplex, "tls", "connect", f"127.0.0.1:{port}", "--servername", "localhost",
                            "--cafile", pki.ca, "--versions", "1.2"], stdin=t.subprocess.PIPE)
        client.process.stdin.write(t.http_get())
        client.process.stdin.close()
        assert client.finish() == 1, client.stderr()
        assert "failure: received handshake_failure" in client.stderr(), client.stderr()
        assert "handshake complete" not in client.stderr(), client.stderr()
        server.wait_for(lambda p: "no shared cipher" in p.stderr(), what="s_server's reason")
    finally:
        server.stop()


def expect_in_clear(capture, port, request, answer, decrypt):
    """The application bytes both ways (`request` from the client, `answer` from the server) are
    in tshark's TLS stream only when it is given `decrypt`."""
    follow = ["-d", f"tcp.port=={port},tls", "-q", "-z", "follow,tls,ascii,0"]
    # No key log unless given, whatever a preferences file says.
    blind = capture.read("-o", "tls.keylog_file:", *follow)
    assert request not in blind and answer not in blind, f"readable without the key:\n{blind}"
    seen = capture.read("-o", "tls.keylog_file:", *decrypt, *follow)
    assert request in seen, f"tshark did not decrypt the request:\n{seen}"
    assert answer in seen, f"tshark did not decrypt the answer:\n{seen}"


def keylog_tshark(duplex, pki, ours):
    t.require("tshark")
    keylog = os.path.join(pki.dir, "keys.log")
    capture_path = os.path.join(pki.dir, "capture.pcapng")
    secret = "the-secret-tls12-request"
    request = f"GET /{secret} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode()
    if ours == "client":
        server, port = s_server(pki, "ecdsa")
    else:
        server = our_server(duplex, pki, "ecdsa", extra=["--keylog", keylog])
        port = server.port
    try:
        capture = t.Capture(port, capture_path)
        try:
            if ours == "client":
                client = our_client(duplex, port, pki, extra=["--keylog", keylog], request=request)
                t.expect_field(client.stderr(), "key exchange", "x25519")
            else:
                client = s_client(port, pki, request=request)
                assert "Protocol version: TLSv1.2" in client.stderr(), client.stderr()
                server.wait_for(lambda p: "TLS 1.2 TLS_ECDHE_ECDSA" in p.stderr(), what="the handshake line")
        finally:
            capture.finish()
    finally:
        server.stop()
    with open(keylog) as f:
        lines = [line.split() for line in f if line.strip() and not line.startswith("#")]
    assert lines and {line[0] for line in lines} == {"CLIENT_RANDOM"}, f"not one CLIENT_RANDOM line: {lines}"
    assert len(lines[0][1]) == 64 and len(lines[0][2]) == 96, lines  # 32-byte random, 48-byte master
    answer = "HTTP/1.0 200 ok" if ours == "client" else "Cipher        : TLS_ECDHE_ECDSA"
    expect_in_clear(capture, port, f"GET /{secret} HTTP/1.0", answer, decrypt=["-o", f"tls.keylog_file:{keylog}"])


@check
def keylog_tshark_client(duplex, pki):
    keylog_tshark(duplex, pki, "client")


@check
def keylog_tshark_server(duplex, pki):
    keylog_tshark(duplex, pki, "server")


@check
def rsa_tshark(duplex, pki):
    # RSA key transport: the pre-master secret crosses encrypted to the server's key, so the
    # server's private key alone opens the capture (no key log anywhere).
    t.require("tshark")
    capture_path = os.path.join(pki.dir, "capture.pcapng")
    _, keyfile = pki.leaf("rsa")
    secret = "the-secret-rsa-request"
    server = our_server(duplex, pki, "rsa", extra=["--legacy-rsa-key-exchange"])
    try:
        capture = t.Capture(server.port, capture_path)
        try:
            client = s_client(server.port, pki, extra=["-cipher", "AES128-GCM-SHA256"],
                              request=f"GET /{secret} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
            assert "Ciphersuite: AES128-GCM-SHA256" in client.stderr(), client.stderr()
            server.wait_for(lambda p: "rsa-key-transport" in p.stderr(), what="the handshake line")
        finally:
            capture.finish()
    finally:
        server.stop()
    expect_in_clear(capture, server.port, f"GET /{secret} HTTP/1.0", "Cipher        : TLS_RSA_WITH_AES_128_GCM_SHA256",
                    decrypt=["-o", f'uat:rsa_keys:"{keyfile}",""'])
    # The handshake as RFC 5246 §7.3 draws it for RSA: no ServerKeyExchange (12), a
    # ClientKeyExchange (16).
    kinds = re.split(r"[,\s]+", capture.read("-d", f"tcp.port=={server.port},tls", "-T", "fields",
                                             "-e", "tls.handshake.type"))
    assert "16" in kinds and "12" not in kinds, f"handshake message types in the capture: {kinds}"


@check
def ecdsa_curve_server(duplex, pki):
    # RFC 8422 §4: a server MUST NOT negotiate an ECC suite unless it can complete the handshake
    # with the client's curves, and §5.3: its certificate's key must be on one of them. Holding
    # only an ECDSA P-256 certificate, our server answers a ClientHello whose supported_groups is
    # secp384r1 alone with handshake_failure, as openssl s_server does (found by the matrix, when
    # we still sent the P-256 certificate and OpenSSL's client refused it: "wrong curve").
    server = our_server(duplex, pki, "ecdsa")
    try:
        client = t.Process(["openssl", "s_client", "-connect", f"127.0.0.1:{server.port}", "-tls1_2",
                            "-CAfile", pki.ca, "-groups", "P-384", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "-brief"],
                           stdin=t.subprocess.PIPE)
        client.process.stdin.write(t.http_get())
        client.process.stdin.close()
        client.finish()
        server.wait_for(lambda p: "failure:" in p.stderr(), what="the end of the handshake in the server's log")
        assert "wrong curve" not in client.stderr(), f"our server sent a certificate off the client's curves:\n" \
                                                     f"{client.stderr()}\nserver:\n{server.stderr()}"
        assert "failure: sent handshake_failure" in server.stderr(), server.stderr()
        assert "alert handshake failure" in client.stderr(), client.stderr()
    finally:
        server.stop()


def main():
    duplex, name = sys.argv[1:3]
    if name not in CHECKS:
        raise SystemExit(f"unknown check {name}; known: {' '.join(CHECKS)}")
    t.require("openssl")
    if "tshark" in name:
        t.in_private_network(sys.argv)
    t.start_watchdog(80)
    directory = t.workdir()
    try:
        CHECKS[name](duplex, t.Pki(directory))
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    t.log(f"ok   {name}")


if __name__ == "__main__":
    main()
