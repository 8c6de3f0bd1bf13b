"""The upgrade hook seen from python3-websockets, against examples/auth_server.cpp:

- a client without a token gets 401 (and the body and WWW-Authenticate) and never connects;
- a token in the query is accepted, and the hook's Set-Cookie reaches the client's response headers;
- the session cookie alone is accepted.

Run as `/usr/bin/python3 python_upgrade_hook.py PATH/TO/example_auth_server`.
"""

import asyncio
import os
import re
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop  # noqa: E402

TOKEN = "s3cret-t0ken"


def start_server(binary):
    process = subprocess.Popen([binary, "0", TOKEN], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = process.stdout.readline()
    match = re.search(r"auth server on port (\d+)", line)
    if not match:
        process.kill()
        raise SystemExit(f"FAIL: the example did not say its port: {line!r}")
    return process, int(match.group(1))


def main():
    binary = interop.duplex_binary()
    websockets = interop.require_websockets()
    interop.start_watchdog(30)
    process, port = start_server(binary)
    base = f"ws://127.0.0.1:{port}/echo"
    try:
        async def checks():
            # No token: 401 before any WebSocket exists.
            try:
                async with websockets.connect(base):
                    raise AssertionError("connected without a token")
            except websockets.exceptions.InvalidStatusCode as refused:
                assert refused.status_code == 401, refused
                interop.log("ok   no token: 401")
            # A token in the query: accepted, and the hook's Set-Cookie is in the response.
            async with websockets.connect(f"{base}?token={TOKEN}") as ws:
                cookie = ws.response_headers.get("Set-Cookie", "")
                assert cookie.startswith(f"session={TOKEN};"), f"Set-Cookie: {cookie!r}"
                await ws.send("by query")
                assert await ws.recv() == "by query"
                interop.log("ok   token in the query: accepted, Set-Cookie seen")
            # The cookie alone.
            async with websockets.connect(base, extra_headers={"Cookie": f"theme=dark; session={TOKEN}"}) as ws:
                await ws.send("by cookie")
                assert await ws.recv() == "by cookie"
                interop.log("ok   session cookie: accepted")

        asyncio.run(checks())
        # The refusal's body and fields, as a plain HTTP client reads them.
        import socket
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            raw.sendall(b"GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
            data = b""
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                chunk = raw.recv(4096)
                if not chunk:
                    break
                data += chunk
        text = data.decode()
        assert text.startswith("HTTP/1.1 401 "), text
        assert "WWW-Authenticate: Bearer\r\n" in text, text
        assert text.endswith("a token (?token=...) or a session cookie, please\n"), text
        interop.log("ok   the 401's field and body")
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
