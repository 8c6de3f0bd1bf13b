"""One cell of the TLS 1.3 interop matrix (issue 3): a cipher suite, a group and a certificate key,
between duplex and one real peer on 127.0.0.1.

    tls_matrix.py DUPLEX PEER SUITE GROUP KEY
    PEER:  openssl_server gnutls_server (our client against them)
           openssl_client gnutls_client curl go (they connect to our server)
    SUITE: aes128 aes256 chacha   GROUP: x25519 p256 p384   KEY: rsa ecdsa ed25519

Both sides are restricted to the cell's suite and group, so the handshake can only succeed with
them; then an HTTP GET crosses, and both sides' accounts of the handshake are checked.
"""

import fcntl
import os
import shutil
import subprocess
import sys

import tlsinterop as t


def go_peer_binary(duplex):
    """Builds tests/interop/go/tlspeer.go once per build tree (locked: tests run in parallel)."""
    t.require("go")
    directory = os.path.join(os.path.dirname(os.path.abspath(duplex)), "interop-go")
    os.makedirs(directory, exist_ok=True)
    binary = os.path.join(directory, "tlspeer")
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "go", "tlspeer.go")
    with open(os.path.join(directory, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(binary) or os.path.getmtime(binary) < os.path.getmtime(source):
            env = dict(os.environ, GOCACHE=os.path.join(directory, "cache"), GOPATH=os.path.join(directory, "gopath"),
                       GO111MODULE="off", GOFLAGS="", CGO_ENABLED="0")
            subprocess.run(["go", "build", "-o", binary, source], check=True, env=env)
    return binary


def server_cell(duplex, peer, suite, group, key, pki):
    cert, keyfile = pki.leaf(key)
    server = t.DuplexTlsServer(duplex, ["--cert", cert, "--key", keyfile, "--www", "--ciphers", suite["rfc"],
                                        "--groups", group["rfc"]])
    url_host = "localhost"
    try:
        if peer == "openssl_client":
            t.require("openssl")
            client = t.talk(["openssl", "s_client", "-connect", f"127.0.0.1:{server.port}", "-servername", url_host,
                             "-tls1_3", "-ciphersuites", suite["rfc"], "-groups", group["openssl"], "-CAfile", pki.ca,
                             "-verify_return_error", "-verify_hostname", url_host, "-brief", "-ign_eof"],
                            t.http_get(), until=lambda out: b"</pre>" in out)
            assert "Verification: OK" in client.stderr(), client.stderr()
            assert f"Ciphersuite: {suite['rfc']}" in client.stderr(), client.stderr()
            page = client.stdout().decode()
        elif peer == "gnutls_client":
            t.require("gnutls-cli")
            priority = f"NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+{suite['gnutls']}:-GROUP-ALL:+{group['gnutls']}"
            client = t.talk(["gnutls-cli", "--port", str(server.port), "--x509cafile", pki.ca, "--priority", priority,
                             "--logfile", "/dev/stderr", url_host],
                            t.http_get(), until=lambda out: b"</pre>" in out)
            page = client.stdout().decode(errors="replace")
        elif peer == "curl":
            t.require("curl")
            result = subprocess.run(["curl", "-sS", "--max-time", "15", "--cacert", pki.ca, "--resolve",
                                     f"{url_host}:{server.port}:127.0.0.1", "--tlsv1.3", "--tls13-ciphers", suite["rfc"],
                                     "--curves", group["curl"], f"https://{url_host}:{server.port}/"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
            assert result.returncode == 0, f"curl failed ({result.returncode}): {result.stderr.decode()}"
            page = result.stdout.decode()
        elif peer == "go":
            binary = go_peer_binary(duplex)
            go_group = {"x25519": "x25519", "secp256r1": "p256", "secp384r1": "p384"}[group["rfc"]]
            result = subprocess.run([binary, "-addr", f"127.0.0.1:{server.port}", "-servername", url_host,
                                     "-cafile", pki.ca, "-group", go_group],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
            assert result.returncode == 0, f"the Go client failed: {result.stderr.decode()}"
            page = result.stdout.decode()
            assert f"suite={suite['rfc']}" in page, page
        else:
            raise SystemExit(f"unknown peer {peer}")
        # The page is the server's own account of the handshake.
        assert f"Cipher        : {suite['rfc']}" in page, page
        assert f"Key exchange  : {group['rfc']}" in page, page
        assert f"Signature     : {t.SCHEMES[key]}" in page, page
        server.wait_for(lambda p: "TLS 1.3 " in p.stderr(), what="the server's handshake line")
        # No alert either way (a peer that hangs up without close_notify after ours is fine).
        assert "failure: sent" not in server.stderr() and "failure: received" not in server.stderr(), server.stderr()
    finally:
        server.stop()
    return server


def client_cell(duplex, peer, suite, group, key, pki):
    cert, keyfile = pki.leaf(key)
    port = t.free_port()
    if peer == "openssl_server":
        t.require("openssl")
        server = t.Process(["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", cert, "-key", keyfile,
                            "-tls1_3", "-ciphersuites", suite["rfc"], "-groups", group["openssl"], "-www"])
        marker = b"</BODY></HTML>"
    elif peer == "gnutls_server":
        t.require("gnutls-serv")
        priority = f"NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+{suite['gnutls']}:-GROUP-ALL:+{group['gnutls']}"
        server = t.Process(["gnutls-serv", "--port", str(port), "--x509certfile", cert, "--x509keyfile", keyfile,
                            "--priority", priority, "--http"])
        marker = b"</HTML>"
    else:
        raise SystemExit(f"unknown peer {peer}")
    try:
        t.wait_for_port(port)
        client = t.talk([duplex, "tls", "connect", f"127.0.0.1:{port}", "--servername", "localhost",
                         "--cafile", pki.ca, "--ciphers", suite["rfc"], "--groups", group["rfc"],
                         "--key-share-groups", group["rfc"]],
                        t.http_get(), until=lambda out: marker in out.upper() or marker in out)
        summary = client.stderr()
        t.expect_field(summary, "cipher suite", suite["rfc"])
        t.expect_field(summary, "key exchange", group["rfc"])
        t.expect_field(summary, "server signature", t.SCHEMES[key])
        page = client.stdout().decode(errors="replace")
        if peer == "openssl_server":
            assert f"Cipher is {suite['rfc']}" in page, page
    finally:
        server.stop()


def main():
    duplex, peer, suite, group, key = sys.argv[1:6]
    if peer.startswith("gnutls"):
        t.in_private_network(sys.argv)
    t.start_watchdog(60)
    directory = t.workdir()
    try:
        pki = t.Pki(directory)
        cell = (duplex, peer, t.SUITES[suite], t.GROUPS[group], key, pki)
        if peer.endswith("_server"):
            client_cell(*cell)
        else:
            server_cell(*cell)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    t.log(f"ok   {peer} {suite} {group} {key}")


if __name__ == "__main__":
    main()
