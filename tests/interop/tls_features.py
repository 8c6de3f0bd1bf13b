"""TLS 1.3 features against real peers (issue 3), one check per invocation:

    tls_features.py DUPLEX CHECK

hrr_client hrr_server alpn_client alpn_server alpn_mismatch sni mtls_client mtls_server
mtls_server_ca mtls_required key_update_client key_update_server bulk_client bulk_server
keylog_tshark verify_default_store verify_name_mismatch
"""

import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time

import tlsinterop as t

CHECKS = {}


def check(function):
    CHECKS[function.__name__] = function
    return function


def s_server(pki, key="ecdsa", extra=(), port=None):
    cert, keyfile = pki.leaf(key)
    port = port or t.free_port()
    server = t.Process(["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", cert, "-key", keyfile,
                        "-tls1_3", "-www", *extra])
    t.wait_for_port(port)
    return server, port


def our_client(duplex, port, pki, key="ecdsa", extra=(), request=None, until=None, env=None):
    cert, _ = pki.leaf(key)
    return t.talk([duplex, "tls", "connect", f"127.0.0.1:{port}", "--servername", "localhost",
                   "--pin-sha256", t.spki_pin(cert), *extra],
                  request if request is not None else t.http_get(),
                  until=until or (lambda out: b"</HTML>" in out.upper()), env=env)


def our_server(duplex, pki, key="ecdsa", extra=()):
    cert, keyfile = pki.leaf(key)
    return t.DuplexTlsServer(duplex, ["--cert", cert, "--key", keyfile, *extra])


def s_client(port, pki, extra=(), request=None, until=None):
    return t.talk(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost", "-tls1_3",
                   "-CAfile", pki.ca, "-verify_return_error", "-brief", "-ign_eof", *extra],
                  request if request is not None else t.http_get(),
                  until=until or (lambda out: b"</pre>" in out))


@check
def hrr_client(duplex, pki):
    # Our client sends an X25519 share; the server takes only P-384: a HelloRetryRequest.
    server, port = s_server(pki, extra=["-groups", "P-384"])
    try:
        client = our_client(duplex, port, pki, extra=["--key-share-groups", "x25519"])
        t.expect_field(client.stderr(), "key exchange", "secp384r1 (after a HelloRetryRequest)")
    finally:
        server.stop()


@check
def hrr_server(duplex, pki):
    # openssl sends an X25519 share; our server takes only P-384.
    server = our_server(duplex, pki, extra=["--www", "--groups", "secp384r1"])
    try:
        client = s_client(server.port, pki, extra=["-groups", "X25519:P-384"])
        assert "Key exchange  : secp384r1 (HelloRetryRequest)" in client.stdout().decode(), client.stdout()
        server.wait_for(lambda p: " hrr" in p.stderr(), what="hrr in the server's log")
    finally:
        server.stop()


@check
def alpn_client(duplex, pki):
    server, port = s_server(pki, extra=["-alpn", "h2,http/1.1"])
    try:
        client = our_client(duplex, port, pki, extra=["--alpn", "http/1.1,h2"])
        # RFC 7301 §3.2: the server's preference decides.
        t.expect_field(client.stderr(), "ALPN", "h2")
    finally:
        server.stop()


@check
def alpn_server(duplex, pki):
    server = our_server(duplex, pki, extra=["--www", "--alpn", "h2,http/1.1"])
    try:
        client = s_client(server.port, pki, extra=["-alpn", "http/1.1,h2"])
        # RFC 7301 §3.2: the server's preference decides.
        assert "ALPN          : h2" in client.stdout().decode(), client.stdout()
    finally:
        server.stop()


@check
def alpn_mismatch(duplex, pki):
    server = our_server(duplex, pki, extra=["--www", "--alpn", "h2"])
    try:
        client = t.Process(["openssl", "s_client", "-connect", f"127.0.0.1:{server.port}", "-tls1_3", "-alpn", "spdy/1",
                            "-brief"], stdin=subprocess.DEVNULL)
        client.finish()
        server.wait_for(lambda p: "no_application_protocol" in p.stderr(), what="the server's alert")
        assert "no application protocol" in client.stderr(), client.stderr()
    finally:
        server.stop()


@check
def sni(duplex, pki):
    a_cert, a_key = pki.leaf("ecdsa", names=("a.test",), name="a")
    b_cert, b_key = pki.leaf("rsa", names=("b.test",), name="b")
    server = t.DuplexTlsServer(duplex, ["--www", "--cert", a_cert, "--key", a_key, "--cert", b_cert, "--key", b_key])
    try:
        for name, scheme in (("b.test", "rsa_pss_rsae_sha256"), ("a.test", "ecdsa_secp256r1_sha256"),
                             ("unknown.test", "ecdsa_secp256r1_sha256")):
            client = t.talk(["openssl", "s_client", "-connect", f"127.0.0.1:{server.port}", "-servername", name,
                             "-tls1_3", "-brief", "-ign_eof"], t.http_get(name), until=lambda out: b"</pre>" in out)
            page = client.stdout().decode()
            assert f"Signature     : {scheme}" in page, (name, page)
            assert f"Server name   : {name}" in page, (name, page)
    finally:
        server.stop()


@check
def mtls_server(duplex, pki):
    client_cert, client_key = pki.leaf("ecdsa", names=("client.test",), name="client")
    server = our_server(duplex, pki, extra=["--www", "--client-pin-sha256", t.spki_pin(client_cert)])
    try:
        client = s_client(server.port, pki, extra=["-cert", client_cert, "-key", client_key])
        assert "Client cert   : yes" in client.stdout().decode(), client.stdout()
        server.wait_for(lambda p: "client-auth=ecdsa_secp256r1_sha256" in p.stderr(), what="client-auth in the log")
    finally:
        server.stop()


@check
def mtls_server_ca(duplex, pki):
    # The client's certificate chains to the CA our server requires (the X.509 path validator,
    # purpose clientAuth).
    client_cert, client_key = pki.leaf("ed25519", names=("client.test",), name="client")
    server = our_server(duplex, pki, extra=["--www", "--require-client-cert", pki.ca])
    try:
        client = s_client(server.port, pki, extra=["-cert", client_cert, "-key", client_key])
        assert "Client cert   : yes" in client.stdout().decode(), client.stdout()
        server.wait_for(lambda p: "client-auth=ed25519" in p.stderr(), what="client-auth in the log")
    finally:
        server.stop()


@check
def verify_default_store(duplex, pki):
    # No trust option: the system store, which does not hold the test CA: unknown_ca, exit 1.
    server, port = s_server(pki)
    try:
        client = t.Process([duplex, "tls", "connect", f"127.0.0.1:{port}", "--servername", "localhost"],
                           stdin=subprocess.PIPE)
        client.process.stdin.close()
        assert client.finish() == 1
        assert "sent unknown_ca" in client.stderr() and "duplex interop CA" in client.stderr(), client.stderr()
    finally:
        server.stop()


@check
def verify_name_mismatch(duplex, pki):
    # The CA is trusted but the certificate is for localhost: bad_certificate naming both.
    server, port = s_server(pki)
    try:
        client = t.Process([duplex, "tls", "connect", f"127.0.0.1:{port}", "--servername", "elsewhere.test",
                            "--cafile", pki.ca], stdin=subprocess.PIPE)
        client.process.stdin.close()
        assert client.finish() == 1
        assert "sent bad_certificate" in client.stderr() and "elsewhere.test" in client.stderr(), client.stderr()
    finally:
        server.stop()


@check
def mtls_required(duplex, pki):
    client_cert, _ = pki.leaf("ecdsa", names=("client.test",), name="client")
    server = our_server(duplex, pki, extra=["--www", "--client-pin-sha256", t.spki_pin(client_cert)])
    try:
        client = t.Process(["openssl", "s_client", "-connect", f"127.0.0.1:{server.port}", "-tls1_3", "-brief"],
                           stdin=subprocess.PIPE)
        client.process.stdin.write(t.http_get())
        client.process.stdin.close()
        client.finish()
        server.wait_for(lambda p: "certificate_required" in p.stderr(), what="certificate_required in the log")
    finally:
        server.stop()


@check
def mtls_client(duplex, pki):
    client_cert, client_key = pki.leaf("rsa", names=("client.test",), name="client")
    server, port = s_server(pki, extra=["-Verify", "1", "-CAfile", pki.ca, "-verify_return_error"])
    try:
        client = our_client(duplex, port, pki, extra=["--cert", client_cert, "--key", client_key])
        page = client.stdout().decode(errors="replace")
        assert "client.test" in page, page  # s_server -www prints the client certificate's subject
    finally:
        server.stop()


@check
def key_update_client(duplex, pki):
    server, port = s_server(pki)
    try:
        client = our_client(duplex, port, pki, extra=["--key-update"])
        assert "the peer updated its keys" in client.stderr(), client.stderr()
        assert b"</HTML>" in client.stdout().upper()
    finally:
        server.stop()


@check
def key_update_server(duplex, pki):
    server = our_server(duplex, pki, extra=["--www", "--key-update"])
    try:
        # OpenSSL answers a KeyUpdate before its next write: the request goes in two writes, the
        # second after our KeyUpdate has surely arrived.
        client = t.Process(["openssl", "s_client", "-connect", f"127.0.0.1:{server.port}", "-servername", "localhost",
                            "-tls1_3", "-CAfile", pki.ca, "-verify_return_error", "-brief", "-ign_eof"],
                           stdin=subprocess.PIPE)
        client.process.stdin.write(b"GET / HTTP/1.0\r\n")
        client.process.stdin.flush()
        client.wait_for(lambda p: "CONNECTION ESTABLISHED" in p.stderr(), what="the handshake")
        time.sleep(0.5)
        client.process.stdin.write(b"\r\n")
        client.process.stdin.flush()
        client.wait_for(lambda p: b"</pre>" in p.stdout(), what="the page")
        client.process.stdin.close()
        client.finish()
        assert "Cipher        :" in client.stdout().decode()
        server.wait_for(lambda p: "the peer updated its keys" in p.stderr(), what="the client's KeyUpdate answer")
    finally:
        server.stop()


SIXTY_FOUR_MIB = 64 * 1024 * 1024


@check
def bulk_server(duplex, pki):
    # 64 MiB through our echo server from Go's crypto/tls client, compared byte for byte.
    from tls_matrix import go_peer_binary

    binary = go_peer_binary(duplex)
    server = our_server(duplex, pki)
    try:
        result = subprocess.run([binary, "-addr", f"127.0.0.1:{server.port}", "-servername", "localhost",
                                 "-cafile", pki.ca, "-echo-bytes", str(SIXTY_FOUR_MIB)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        assert result.returncode == 0, result.stderr.decode()
        assert f"echoed {SIXTY_FOUR_MIB} bytes" in result.stdout.decode(), result.stdout
    finally:
        server.stop()


@check
def bulk_client(duplex, pki):
    # 64 MiB from our client through Go's crypto/tls echo server and back, compared byte for byte.
    from tls_matrix import go_peer_binary

    cert, keyfile = pki.leaf("ecdsa")
    server = t.Process([go_peer_binary(duplex), "-listen", "127.0.0.1:0", "-cert", cert, "-key", keyfile])
    try:
        server.wait_for(lambda p: b"listening on" in p.stdout(), what="the Go server's address")
        port = int(server.stdout().split(b"listening on ")[1].split(b"\n")[0].rsplit(b":", 1)[1])
        data = os.urandom(SIXTY_FOUR_MIB)
        client = t.Process([duplex, "tls", "connect", f"127.0.0.1:{port}", "--servername", "localhost",
                            "--pin-sha256", t.spki_pin(cert), "--quiet"], stdin=subprocess.PIPE)

        def feed():
            client.process.stdin.write(data)
            client.process.stdin.close()  # then close_notify; the Go server answers with its own

        threading.Thread(target=feed, daemon=True).start()
        status = client.finish(timeout=120)
        assert status == 0, f"duplex tls connect exited {status}: {client.stderr()}"
        received = client.stdout()
        assert len(received) == SIXTY_FOUR_MIB, f"{len(received)} bytes came back"
        assert hashlib.sha256(received).digest() == hashlib.sha256(data).digest(), "the echo differs"
        assert server.finish() == 0, server.stderr()
    finally:
        server.stop()


@check
def keylog_tshark(duplex, pki):
    # tshark records our client talking to our server on loopback; with the key log it shows the
    # application data in clear.
    t.require("tshark")
    directory = pki.dir
    keylog = os.path.join(directory, "keys.log")
    capture = os.path.join(directory, "capture.pcapng")
    server = our_server(duplex, pki, extra=["--www"])
    port = server.port
    tshark = t.Process(["tshark", "-i", "lo", "-f", f"tcp port {port}", "-w", capture, "-q"])
    try:
        tshark.wait_for(lambda p: "Capturing on" in p.stderr(), what="tshark's start")
        time.sleep(0.5)
        secret = "the-secret-request-line"
        request = f"GET /{secret} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode()
        our_client(duplex, port, pki, extra=["--keylog", keylog], request=request,
                   until=lambda out: b"</pre>" in out)
        time.sleep(0.5)
    finally:
        tshark.stop()
        server.stop()
    with open(keylog) as f:
        labels = {line.split()[0] for line in f if line.strip()}
    for label in ("CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0",
                  "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET"):
        assert label in labels, f"{label} missing from the key log: {labels}"
    # Without the key log the request is not in the capture; with it, tshark decrypts it.
    fields = ["-T", "fields", "-e", "http.request.uri", "-d", f"tcp.port=={port},tls"]
    blind = subprocess.run(["tshark", "-r", capture, *fields], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert secret not in blind.stdout.decode(), "the request is visible without the key log"
    seen = subprocess.run(["tshark", "-r", capture, "-o", f"tls.keylog_file:{keylog}", *fields],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert f"/{secret}" in seen.stdout.decode(), f"tshark did not decrypt the request: {seen.stdout!r} {seen.stderr!r}"


def main():
    duplex, name = sys.argv[1:3]
    if name not in CHECKS:
        raise SystemExit(f"unknown check {name}; known: {' '.join(CHECKS)}")
    t.require("openssl")
    if name == "keylog_tshark":
        t.in_private_network(sys.argv)
    t.start_watchdog(150)
    directory = t.workdir()
    try:
        CHECKS[name](duplex, t.Pki(directory))
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    t.log(f"ok   {name}")


if __name__ == "__main__":
    main()
