"""`duplex serve --plain --handshake-timeout 1 --idle-timeout 2` ends connections that stall,
from a raw socket (DESIGN.md: bad input "never hangs"):

- a connection that sends nothing, or half a request head, is gone within the handshake timeout
  (an HTTP 408 before closing is allowed);
- an open WebSocket on which the client stays silent (answering no ping) is ended within the idle
  timeout (a close frame before the TCP close is allowed);
- a connection that keeps talking outlives the idle timeout.
Run: /usr/bin/python3 python_timeouts.py PATH/TO/duplex
"""

import os
import socket
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop  # noqa: E402

DUPLEX = interop.duplex_binary()
interop.start_watchdog(30)

HANDSHAKE_TIMEOUT, IDLE_TIMEOUT, SLACK = 1, 2, 3
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA
frame = interop.RawConnection.frame


def wait_for_end(connection, seconds):
    """Reads (and drops) whatever the server sends until it closes; returns the time it took."""
    started = time.monotonic()
    connection.sock.settimeout(seconds)
    try:
        while True:
            connection._fill()
            connection.buffer = b""
    except (EOFError, ConnectionResetError):
        return time.monotonic() - started
    except socket.timeout:
        raise AssertionError(f"the connection was still open after {seconds} s")


def main():
    args = ["--handshake-timeout", str(HANDSHAKE_TIMEOUT), "--idle-timeout", str(IDLE_TIMEOUT)]
    with interop.DuplexServer(DUPLEX, args) as server:

        def silent_connection_is_closed():
            connection = interop.RawConnection(server.port)
            wait_for_end(connection, HANDSHAKE_TIMEOUT + SLACK)
            connection.close()

        def half_a_head_is_closed():
            connection = interop.RawConnection(server.port)
            connection.send(b"GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgr")
            wait_for_end(connection, HANDSHAKE_TIMEOUT + SLACK)
            connection.close()

        def idle_websocket_is_closed():
            connection = interop.RawConnection(server.port)
            connection.handshake("/echo")
            # Twice the timeout: a server may first ping and then wait as long again for the pong.
            took = wait_for_end(connection, 2 * IDLE_TIMEOUT + SLACK)
            assert took >= IDLE_TIMEOUT * 0.5, f"closed after {took:.2f} s, before the idle timeout"
            connection.close()

        def talking_websocket_stays_open():
            connection = interop.RawConnection(server.port)
            connection.handshake("/echo")
            deadline = time.monotonic() + IDLE_TIMEOUT * 2
            while time.monotonic() < deadline:
                connection.send(frame(TEXT, b"still here"))
                while True:  # answer the server's pings, if it sends any, like any client would
                    _, opcode, payload = connection.read_frame()
                    if opcode == PING:
                        connection.send(frame(PONG, payload))
                        continue
                    assert opcode == TEXT and payload == b"still here", (opcode, payload)
                    break
                time.sleep(IDLE_TIMEOUT / 4)
            connection.send(frame(CLOSE, (1000).to_bytes(2, "big")))
            code, _ = connection.read_close()
            assert code == 1000, f"close echoed with {code}"
            connection.close()

        interop.run_checks([
            ("a silent connection is closed", silent_connection_is_closed),
            ("half a head is closed", half_a_head_is_closed),
            ("an idle WebSocket is closed", idle_websocket_is_closed),
            ("a talking WebSocket stays open", talking_websocket_stays_open),
        ], server)


if __name__ == "__main__":
    main()
