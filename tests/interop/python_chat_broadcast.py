"""python3-websockets clients in the /chat room of `duplex serve --plain`: a message from one
member reaches every member, the sender included, and a member that left no longer counts.
Also: GET / answers the HTML page that joins /chat.
Run: /usr/bin/python3 python_chat_broadcast.py PATH/TO/duplex
"""

import asyncio
import os
import sys
import urllib.request
import uuid

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop  # noqa: E402

websockets = interop.require_websockets()
DUPLEX = interop.duplex_binary()
interop.start_watchdog(30)


async def connect(url):
    return await websockets.connect(url, open_timeout=5, close_timeout=5)


async def receive_until(ws, wanted, timeout=5):
    """Messages received until `wanted` arrives (others may be in flight from earlier checks)."""
    seen = []
    while True:
        message = await asyncio.wait_for(ws.recv(), timeout)
        seen.append(message)
        if message == wanted:
            return seen


def main():
    # Two loops, so that members may live on different threads and the room must cross them.
    with interop.DuplexServer(DUPLEX, ["--threads", "2"]) as server:
        url = server.url("/chat")

        def everyone_receives():
            async def go():
                members = [await connect(url) for _ in range(3)]
                # A member whose handshake completed is in the room: every hello reaches every
                # member (in any order: senders may live on different threads).
                hellos = {f"hello {i}" for i in range(len(members))}
                for i, ws in enumerate(members):
                    await ws.send(f"hello {i}")
                for i, ws in enumerate(members):
                    seen = set()
                    try:
                        while seen != hellos:
                            seen.add(await asyncio.wait_for(ws.recv(), 5))
                    except asyncio.TimeoutError:
                        raise AssertionError(f"member {i} got only {sorted(seen)} of the hellos")
                text = f"broadcast {uuid.uuid4()} ✓"
                await members[0].send(text)
                for i, ws in enumerate(members):
                    seen = await receive_until(ws, text)
                    assert seen == [text], f"member {i} got {seen!r} before the broadcast"
                binary = os.urandom(1000)
                await members[1].send(binary)
                for ws in members:
                    assert await asyncio.wait_for(ws.recv(), 5) == binary
                for ws in members:
                    await ws.close()
                    assert ws.close_code == 1000, f"close answered with {ws.close_code}"
            asyncio.run(asyncio.wait_for(go(), 15))

        def departed_member_does_not_break_the_room():
            async def go():
                first, second = await connect(url), await connect(url)
                await first.send("ping-room")
                await receive_until(first, "ping-room")
                await receive_until(second, "ping-room")
                await second.close()
                text = f"after-leave {uuid.uuid4()}"
                await first.send(text)
                assert await receive_until(first, text) == [text]
                await first.close()
            asyncio.run(asyncio.wait_for(go(), 15))

        def root_serves_the_chat_page():
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/", timeout=5) as response:
                assert response.status == 200, f"GET / answered {response.status}"
                content_type = response.headers.get("Content-Type", "")
                assert content_type.startswith("text/html"), f"Content-Type {content_type!r}"
                page = response.read().decode("utf-8")
            for needle in ['id="status"', 'id="messages"', 'id="input"', 'id="send"', "/chat"]:
                assert needle in page, f"the page lacks {needle}"

        interop.run_checks([
            ("every member receives, sender included", everyone_receives),
            ("a departed member does not break the room", departed_member_does_not_break_the_room),
            ("GET / serves the chat page", root_serves_the_chat_page),
        ], server)


if __name__ == "__main__":
    main()
