"""`duplex connect` -> a python3-websockets server started here on 127.0.0.1.

- lines of stdin arrive as text messages; what the server sends is printed one per line; the
  server's close 1000 makes the client exit 0;
- --echo sends every message back unchanged (text as text, binary as binary) until the server
  closes with 1000, and the client exits 0;
- --subprotocol P is offered and selected;
- a close with another code makes the client exit non-zero naming the code on stderr.
Run: /usr/bin/python3 python_connect_client.py PATH/TO/duplex
"""

import asyncio
import http
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop  # noqa: E402

websockets = interop.require_websockets()
DUPLEX = interop.duplex_binary()
interop.start_watchdog(30)


class Peer:
    """A websockets server on 127.0.0.1 port 0 running `handler` for each connection."""

    def __init__(self, handler, **options):
        self.handler = handler
        self.options = options
        self.done = None
        self.error = None

    async def __aenter__(self):
        self.done = asyncio.get_running_loop().create_future()

        async def wrapped(ws, path=None):  # websockets 10 passes the path; 11+ does not
            try:
                await self.handler(ws)
            except BaseException as error:  # noqa: BLE001 - reported by finish()
                self.error = error
                raise
            finally:
                if not self.done.done():
                    self.done.set_result(None)

        self.server = await websockets.serve(wrapped, "127.0.0.1", 0, max_size=None, **self.options)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc):
        self.server.close()
        await self.server.wait_closed()

    def url(self, path="/"):
        return f"ws://127.0.0.1:{self.port}{path}"

    async def finish(self, timeout=10):
        await asyncio.wait_for(asyncio.shield(self.done), timeout)
        if self.error is not None:
            raise AssertionError(f"server handler failed: {type(self.error).__name__}: {self.error}")


async def start_client(*args):
    return await asyncio.create_subprocess_exec(
        DUPLEX, "connect", *args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)


async def wait_exit(process, timeout=10):
    """The client's exit status, stdout and stderr; it must exit by itself within `timeout`."""
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout)
    except asyncio.TimeoutError:
        process.kill()
        stdout, stderr = await process.communicate()
        raise AssertionError(f"duplex connect did not exit within {timeout} s after the server "
                             f"closed; stderr:\n{stderr.decode(errors='replace')}")
    return process.returncode, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace")


async def read_lines(process, count, timeout=10):
    lines = []
    try:
        for _ in range(count):
            line = await asyncio.wait_for(process.stdout.readline(), timeout)
            if not line:
                break
            lines.append(line.decode("utf-8").rstrip("\n"))
    except asyncio.TimeoutError:
        pass
    return lines


LINES = ["hello", "ünïcödé ✓ 😀", "a line with  spaces ", "z" * 5000]


def stdin_lines_are_sent():
    async def go():
        received = []

        async def handler(ws):
            for _ in LINES:
                message = await ws.recv()
                assert isinstance(message, str), f"a stdin line arrived as {type(message).__name__}"
                received.append(message)
                await ws.send("echo: " + message)
            await ws.close(1000, "bye")

        async with Peer(handler) as peer:
            client = await start_client(peer.url("/echo"))
            client.stdin.write("".join(line + "\n" for line in LINES).encode())
            await client.stdin.drain()
            printed = await read_lines(client, len(LINES))
            await peer.finish()
            status, _, stderr = await wait_exit(client)
            assert received == LINES, f"server received {received!r}"
            assert printed == ["echo: " + line for line in LINES], f"client printed {printed!r}"
            assert status == 0, f"exit status {status} after a close 1000; stderr:\n{stderr}"

    asyncio.run(go())


def echo_mode_sends_everything_back():
    async def go():
        messages = ["one", "two ✓", "", b"\x00\x01\xff", "t" * 100000, os.urandom(200000)]

        async def handler(ws):
            for message in messages:
                await ws.send(message)
                reply = await asyncio.wait_for(ws.recv(), 5)
                assert type(reply) is type(message), \
                    f"sent {type(message).__name__}, got {type(reply).__name__} back"
                assert reply == message, f"echo of a {len(message)}-unit message differs"
            await ws.close(1000)

        async with Peer(handler) as peer:
            client = await start_client(peer.url("/"), "--echo")
            await peer.finish()
            status, _, stderr = await wait_exit(client)
            assert status == 0, f"exit status {status} after a close 1000; stderr:\n{stderr}"

    asyncio.run(go())


def subprotocol_is_offered():
    async def go():
        selected = []

        async def handler(ws):
            selected.append(ws.subprotocol)
            await ws.close(1000)

        async with Peer(handler, subprotocols=["chat"]) as peer:
            client = await start_client(peer.url("/"), "--subprotocol", "chat")
            await peer.finish()
            status, _, stderr = await wait_exit(client)
            assert selected == ["chat"], f"the server selected {selected}"
            assert status == 0, f"exit status {status}; stderr:\n{stderr}"

    asyncio.run(go())


def going_away_1001_exits_zero():
    async def go():
        async def handler(ws):
            await ws.close(1001, "server shutting down")

        async with Peer(handler) as peer:
            client = await start_client(peer.url("/"))
            await peer.finish()
            status, _, stderr = await wait_exit(client)
            assert status == 0, f"exit status {status} after a close 1001; stderr:\n{stderr}"

    asyncio.run(go())


def abnormal_close_exits_nonzero():
    async def go():
        async def handler(ws):
            await ws.close(4001, "custom failure")

        async with Peer(handler) as peer:
            client = await start_client(peer.url("/"))
            await peer.finish()
            status, _, stderr = await wait_exit(client)
            assert status != 0, "exit status 0 after a close 4001"
            assert "4001" in stderr, f"stderr does not name the close code:\n{stderr}"

    asyncio.run(go())


def refused_handshake_exits_nonzero():
    async def go():
        def reject(path, headers):
            # websockets 10 wants an HTTPStatus here: a plain int makes it drop the connection.
            return http.HTTPStatus.FORBIDDEN, [("Content-Type", "text/plain")], b"go away\n"

        async def handler(ws):
            raise AssertionError("the handshake should have been refused")

        async with Peer(handler, process_request=reject) as peer:
            client = await start_client(peer.url("/"))
            status, _, stderr = await wait_exit(client)
            assert status != 0, "exit status 0 after a 403"
            assert "403" in stderr, f"stderr does not name the status:\n{stderr}"
            # A connection that never opened has no close code: one line, the reason.
            assert "closed with" not in stderr, f"a misleading second line:\n{stderr}"

    asyncio.run(go())


def extra_headers_are_sent():
    async def go():
        seen = {}

        def look(path, headers):
            # websockets 10: (path, headers); returning None goes on with the handshake.
            seen["authorization"] = headers.get("Authorization")
            seen["cookie"] = headers.get("Cookie")
            return None

        async def handler(ws):
            await ws.close(1000)

        async with Peer(handler, process_request=look) as peer:
            client = await start_client(peer.url("/"), "--header", "Authorization: Bearer t0k3n",
                                        "--header", "Cookie: theme=dark; lang=en")
            await peer.finish()
            status, _, stderr = await wait_exit(client)
            assert status == 0, f"exit status {status}; stderr:\n{stderr}"
        assert seen == {"authorization": "Bearer t0k3n", "cookie": "theme=dark; lang=en"}, seen

    asyncio.run(go())


def forged_handshake_header_is_a_usage_error():
    async def go():
        client = await start_client("ws://127.0.0.1:9/", "--header", "Sec-WebSocket-Key: forged")
        status, _, stderr = await wait_exit(client)
        assert status == 2, f"exit status {status} for a header the handshake writes itself"
        assert "Sec-WebSocket-Key" in stderr, f"stderr does not say why:\n{stderr}"

    asyncio.run(go())


def bad_subprotocol_is_a_usage_error():
    async def go():
        # Never reaches the network: the option is refused before any connection (exit 2).
        client = await start_client("ws://127.0.0.1:9/", "--subprotocol", "not a token")
        status, _, stderr = await wait_exit(client)
        assert status == 2, f"exit status {status} for a subprotocol with spaces"
        assert "not an HTTP token" in stderr, f"stderr does not say why:\n{stderr}"

    asyncio.run(go())


if __name__ == "__main__":
    interop.run_checks([
        ("stdin lines are sent, replies printed, exit 0", stdin_lines_are_sent),
        ("--echo sends every message back", echo_mode_sends_everything_back),
        ("--subprotocol is offered", subprotocol_is_offered),
        ("close 1001 exits 0", going_away_1001_exits_zero),
        ("close 4001 exits non-zero", abnormal_close_exits_nonzero),
        ("refused handshake exits non-zero", refused_handshake_exits_nonzero),
        ("a subprotocol that is not a token is refused", bad_subprotocol_is_a_usage_error),
        ("--header fields reach the server's process_request", extra_headers_are_sent),
        ("--header cannot forge a handshake field", forged_handshake_header_is_a_usage_error),
    ])
