"""python3-websockets client -> `duplex serve --plain` /echo.

Text comes back as text and binary as binary, byte for byte, including a 1 MiB message and a
message sent in fragments; the client's permessage-deflate offer is declined (no extension in the
101); a ping is answered; closing with 1000 gets 1000 back.
Run: /usr/bin/python3 python_client_echo.py PATH/TO/duplex
"""

import asyncio
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop  # noqa: E402

websockets = interop.require_websockets()
DUPLEX = interop.duplex_binary()
interop.start_watchdog(30)

# Generous so that the 1 MiB message is well inside the server's message limit.
SERVER_ARGS = ["--max-message-bytes", str(16 << 20)]


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 10))


async def connect(url):
    # The client's default offers permessage-deflate: the server must decline it and go on.
    return await websockets.connect(url, max_size=None, open_timeout=5, close_timeout=5)


async def roundtrip(ws, message):
    await ws.send(message)
    reply = await ws.recv()
    assert type(reply) is type(message), f"sent {type(message).__name__}, got {type(reply).__name__}"
    assert reply == message, f"echo differs: sent {len(message)} units, got {len(reply)}"


def main():
    with interop.DuplexServer(DUPLEX, SERVER_ARGS) as server:
        url = server.url("/echo")

        def text_echoes():
            async def go():
                ws = await connect(url)
                for message in ["hello", "", "ünïcödé ✓ 😀", "x" * 200, "y" * 70000]:
                    await roundtrip(ws, message)
                await ws.close()
            run(go())

        def binary_echoes():
            async def go():
                ws = await connect(url)
                for message in [b"\x00\x01\xfe\xff", b"", bytes(range(256)) * 300]:
                    await roundtrip(ws, message)
                await ws.close()
            run(go())

        def one_mebibyte_messages():
            async def go():
                ws = await connect(url)
                await roundtrip(ws, os.urandom(1 << 20))
                await roundtrip(ws, ("duplex ✓ " * ((1 << 20) // 11))[: (1 << 20) // 2])
                await ws.close()
            run(go())

        def fragmented_messages():
            async def go():
                ws = await connect(url)
                # websockets sends an iterable as one message in several frames (RFC 6455 §5.4).
                await ws.send(["frag", "ment", "ed ✓"])
                reply = await ws.recv()
                assert reply == "fragmented ✓", f"got {reply!r}"
                await ws.send([b"\x01\x02", b"", b"\x03"])
                reply = await ws.recv()
                assert reply == b"\x01\x02\x03", f"got {reply!r}"
                await ws.close()
            run(go())

        def offered_deflate_is_declined():
            async def go():
                ws = await connect(url)
                offer = ws.request_headers.get("Sec-WebSocket-Extensions", "")
                assert offer.startswith("permessage-deflate"), f"the client offered {offer!r}"
                # RFC 6455 §9.1: the 101 names the extensions in use; duplex accepts none yet.
                answer = ws.response_headers.get_all("Sec-WebSocket-Extensions")
                assert answer == [], f"the server answered Sec-WebSocket-Extensions: {answer}"
                assert ws.extensions == [], f"in use: {ws.extensions}"
                await roundtrip(ws, "not compressed " * 100)
                await ws.close()
            run(go())

        def ping_is_answered():
            async def go():
                ws = await connect(url)
                pong = await ws.ping(b"are you there")
                await asyncio.wait_for(pong, 5)
                # The connection still echoes after the ping.
                await roundtrip(ws, "after ping")
                await ws.close()
            run(go())

        def clean_close_1000():
            async def go():
                ws = await connect(url)
                await roundtrip(ws, "bye")
                await ws.close(1000, "done")
                assert ws.close_code == 1000, f"the server answered close code {ws.close_code}"
            run(go())

        def interleaved_connections():
            async def go():
                sockets = [await connect(url) for _ in range(5)]
                await asyncio.gather(*(ws.send(f"from {i}") for i, ws in enumerate(sockets)))
                replies = await asyncio.gather(*(ws.recv() for ws in sockets))
                assert replies == [f"from {i}" for i in range(5)], f"got {replies}"
                await asyncio.gather(*(ws.close() for ws in sockets))
            run(go())

        interop.run_checks([
            ("text echoes", text_echoes),
            ("binary echoes", binary_echoes),
            ("1 MiB messages", one_mebibyte_messages),
            ("fragmented messages", fragmented_messages),
            ("offered permessage-deflate is declined", offered_deflate_is_declined),
            ("ping is answered", ping_is_answered),
            ("clean close 1000", clean_close_1000),
            ("interleaved connections", interleaved_connections),
        ], server)


if __name__ == "__main__":
    main()
