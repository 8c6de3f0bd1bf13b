"""Secure WebSockets against real peers (issue 5), one check per invocation:

    wss.py DUPLEX CHECK

python_client      python3-websockets connects to `duplex serve` (TLS by default, development
                   certificates made on first run) with the development CA as its only root
connect_to_python  `duplex connect wss://` to a python3-websockets wss:// server whose certificate
                   comes from `openssl req`, trusted with --cafile
https_pages        curl over HTTPS: the page at / (200, text/html), 404 for an unknown path, 405 for
                   POST, all on one kept-alive TLS connection
untrusted_server   `duplex connect wss://` to `duplex serve` without trusting its development CA:
                   exit 1 with one line naming the TLS failure (unknown_ca), nothing sent
keylog_tshark      tshark records `duplex connect` talking to `duplex serve` over wss:// and,
                   with the key log of SSLKEYLOGFILE, shows the WebSocket text message in clear
python_client_tls12      python_client with ssl.TLSVersion.TLSv1_2 as the client's maximum:
                         the server (both versions) speaks TLS 1.2 and logs it
connect_to_python_tls12  `duplex connect --versions 1.2` to a python3-websockets server whose
                         maximum is TLS 1.2
"""

import asyncio
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop  # noqa: E402
import tlsinterop as t  # noqa: E402

CHECKS = {}


def check(function):
    CHECKS[function.__name__] = function
    return function


def dev_server(duplex, home, env=None):
    """`duplex serve` over TLS with the development certificates under `home`."""
    server = interop.DuplexServer(duplex, tls=True, env={"XDG_DATA_HOME": home, **(env or {})})
    ca = os.path.join(home, "duplex", "ca.pem")
    assert os.path.exists(ca), f"no development CA at {ca}; the server said:\n{server.output()}"
    return server, ca


def python_client_version(duplex, directory, version):
    websockets = interop.require_websockets()
    server, ca = dev_server(duplex, directory)
    try:
        async def talk():
            context = ssl.create_default_context(cafile=ca)  # the development CA, nothing else
            if version == "1.3":
                context.minimum_version = ssl.TLSVersion.TLSv1_3
            else:
                context.maximum_version = ssl.TLSVersion.TLSv1_2
            for host in ("localhost", "127.0.0.1"):
                async with websockets.connect(server.url("/echo", host=host), ssl=context) as ws:
                    await ws.send(f"hello from python via {host}")
                    assert await ws.recv() == f"hello from python via {host}"
                    assert ws.transport.get_extra_info("ssl_object").version() == f"TLSv{version}"

        asyncio.run(talk())

        def opened():
            return [line for line in server.output().splitlines() if line.startswith("open  ")]

        deadline = time.monotonic() + 5
        while len(opened()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(opened()) == 2 and all(f" TLS {version} " in line for line in opened()), server.output()
    finally:
        assert server.stop() == 0, server.output()


@check
def python_client(duplex, directory):
    python_client_version(duplex, directory, "1.3")


@check
def python_client_tls12(duplex, directory):
    python_client_version(duplex, directory, "1.2")


def connect_to_python_version(duplex, directory, version):
    websockets = interop.require_websockets()
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)

    async def run():
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        if version == "1.2":
            context.maximum_version = ssl.TLSVersion.TLSv1_2
        seen = []

        async def echo(ws, path=None):  # websockets 10 passes the path; 11+ does not
            seen.append(ws.transport.get_extra_info("ssl_object").version())
            async for message in ws:
                await ws.send(message)

        async with websockets.serve(echo, "127.0.0.1", 0, ssl=context) as served:
            port = served.sockets[0].getsockname()[1]
            process = await asyncio.create_subprocess_exec(
                duplex, "connect", f"wss://localhost:{port}/", "--cafile", cert, "--trace",
                *(["--versions", "1.2"] if version == "1.2" else []),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            # Both lines go out; standard input stays open until both echoes are back (its end
            # closes the connection with 1000).
            process.stdin.write(b"first line\nsecond line\n")
            await process.stdin.drain()
            lines = [await asyncio.wait_for(process.stdout.readline(), 10) for _ in range(2)]
            assert lines == [b"first line\n", b"second line\n"], lines
            process.stdin.close()
            err = await asyncio.wait_for(process.stderr.read(), 10)
            await asyncio.wait_for(process.wait(), 10)
            assert process.returncode == 0, f"exit {process.returncode}: {err.decode()}"
            trace = err.decode()
            assert f"TLS {version} handshake complete" in trace, trace
            assert seen == [f"TLSv{version}"], seen
            assert '>>> text FIN masked 10 bytes: "first line"' in trace, trace
            assert '<<< text FIN unmasked 11 bytes: "second line"' in trace, trace

    asyncio.run(run())


@check
def connect_to_python(duplex, directory):
    connect_to_python_version(duplex, directory, "1.3")


@check
def connect_to_python_tls12(duplex, directory):
    connect_to_python_version(duplex, directory, "1.2")


@check
def https_pages(duplex, directory):
    t.require("curl")
    server, ca = dev_server(duplex, directory)
    try:
        base = f"https://localhost:{server.port}"
        result = subprocess.run(
            ["curl", "-sS", "-v", "--cacert", ca, "--tlsv1.3", "--max-time", "10",
             "-o", "/dev/null", "-w", "%{http_code} %{content_type}\\n", f"{base}/",
             "-o", "/dev/null", "-w", "%{http_code} %{content_type}\\n", f"{base}/missing"],
            capture_output=True, timeout=20)
        assert result.returncode == 0, result.stderr.decode()
        lines = result.stdout.decode().splitlines()
        assert lines[0].startswith("200 text/html"), lines
        assert lines[1].startswith("404 "), lines
        log = result.stderr.decode()
        assert "TLSv1.3" in log, log
        assert "Re-using existing connection" in log or "Reusing existing connection" in log, log
        post = subprocess.run(["curl", "-sS", "--cacert", ca, "-X", "POST", "-o", "/dev/null",
                               "-w", "%{http_code}", f"{base}/"], capture_output=True, timeout=20)
        assert post.stdout.decode() == "405", post
    finally:
        assert server.stop() == 0, server.output()


@check
def untrusted_server(duplex, directory):
    server, _ = dev_server(duplex, directory)
    try:
        result = subprocess.run([duplex, "connect", server.url("/echo", host="localhost")], input=b"hello\n",
                                capture_output=True, timeout=20)
        err = result.stderr.decode()
        assert result.returncode == 1, f"exit {result.returncode}: {err}"
        lines = err.strip().splitlines()
        assert len(lines) == 1, f"expected one line saying why, got:\n{err}"
        assert "unknown_ca" in lines[0] and "closed with" not in err, err
    finally:
        assert server.stop() == 0, server.output()


@check
def keylog_tshark(duplex, directory):
    t.require("tshark")
    keylog = os.path.join(directory, "keys.log")
    capture = os.path.join(directory, "capture.pcapng")
    server, ca = dev_server(duplex, os.path.join(directory, "home"))
    tshark = t.Process(["tshark", "-i", "lo", "-f", f"tcp port {server.port}", "-w", capture, "-q"])
    secret = "a secret only the key log reveals"
    try:
        tshark.wait_for(lambda p: "Capturing on" in p.stderr(), what="tshark's start")
        time.sleep(0.5)
        result = subprocess.run([duplex, "connect", server.url("/echo", host="localhost"), "--cafile", ca],
                                input=(secret + "\n").encode(), capture_output=True, timeout=15,
                                env=dict(os.environ, SSLKEYLOGFILE=keylog))
        assert result.returncode == 0, result.stderr.decode()
        assert "TLS secrets are being written" in result.stderr.decode(), result.stderr
        time.sleep(0.5)
    finally:
        tshark.stop()
        server.stop()
    # Every field of every packet, without and then with the key log: the WebSocket text frame
    # (masked on the wire, unmasked by tshark) appears only once the records are decrypted.
    decode = ["-V", "-d", f"tcp.port=={server.port},tls"]
    blind = subprocess.run(["tshark", "-r", capture, *decode], capture_output=True)
    assert secret not in blind.stdout.decode(), "the message is visible without the key log"
    seen = subprocess.run(["tshark", "-r", capture, "-o", f"tls.keylog_file:{keylog}", *decode], capture_output=True)
    text = seen.stdout.decode()
    assert "WebSocket" in text and secret in text, f"tshark did not show the message in clear: {seen.stderr.decode()}"


def main():
    duplex, name = interop.duplex_binary(), sys.argv[2]
    if name not in CHECKS:
        raise SystemExit(f"unknown check {name}; known: {' '.join(CHECKS)}")
    t.require("openssl")
    if name == "keylog_tshark":
        t.in_private_network(sys.argv)
    interop.start_watchdog(60)
    directory = tempfile.mkdtemp(prefix="duplex-wss-")
    try:
        CHECKS[name](duplex, directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    interop.log(f"ok   {name}")


if __name__ == "__main__":
    main()
