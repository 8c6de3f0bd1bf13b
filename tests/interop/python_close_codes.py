"""Bad input to `duplex serve --plain` gets the protocol's own error, from a raw socket:

- invalid UTF-8 in a text message -> close 1007 (RFC 6455 §8.1), also across fragments;
- an unmasked client frame -> close 1002 (RFC 6455 §5.1), and a reserved bit -> 1002;
- a request head over 8 KiB -> HTTP 431 (RFC 6585 §5);
- Sec-WebSocket-Version 8 -> HTTP 426 with Sec-WebSocket-Version: 13 (RFC 6455 §4.4);
- a POST upgrade -> 405; a key that is not 16 bytes -> 400;
- and the server still serves a good connection afterwards.
Run: /usr/bin/python3 python_close_codes.py PATH/TO/duplex
"""

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop  # noqa: E402

DUPLEX = interop.duplex_binary()
interop.start_watchdog(30)

TEXT, BINARY, CONTINUATION, CLOSE = 0x1, 0x2, 0x0, 0x8
frame = interop.RawConnection.frame


def main():
    with interop.DuplexServer(DUPLEX) as server:

        def open_connection():
            connection = interop.RawConnection(server.port)
            connection.handshake("/echo")
            return connection

        def expect_close(connection, expected):
            code, reason = connection.read_close()
            assert code == expected, f"expected close {expected}, got {code} {reason!r}"
            # Complete the close handshake; the server must then end the TCP connection.
            try:
                connection.send(frame(CLOSE, code.to_bytes(2, "big")))
            except OSError:
                pass  # it may already have closed the TCP connection, which is allowed
            connection.expect_eof()
            connection.close()

        def good_echo_still_works():
            connection = open_connection()
            connection.send(frame(TEXT, "ok ✓".encode()))
            fin, opcode, payload = connection.read_frame()
            assert (fin, opcode, payload) == (True, TEXT, "ok ✓".encode()), (fin, opcode, payload)
            connection.send(frame(CLOSE, (1000).to_bytes(2, "big")))
            code, _ = connection.read_close()
            assert code == 1000, f"close echoed with {code}"
            connection.expect_eof()
            connection.close()

        def invalid_utf8_is_1007():
            connection = open_connection()
            connection.send(frame(TEXT, b"abc\xff\xfedef"))
            expect_close(connection, 1007)

        def invalid_utf8_across_fragments_is_1007():
            connection = open_connection()
            # A valid start of a 3-byte sequence, then a byte that cannot continue it.
            connection.send(frame(TEXT, b"ok \xe2\x82", fin=False))
            connection.send(frame(CONTINUATION, b"\x41 rest", fin=True))
            expect_close(connection, 1007)

        def overlong_encoding_is_1007():
            connection = open_connection()
            connection.send(frame(TEXT, b"\xc0\xaf"))  # '/' encoded in two bytes
            expect_close(connection, 1007)

        def unmasked_frame_is_1002():
            connection = open_connection()
            connection.send(frame(TEXT, b"not masked", mask=False))
            expect_close(connection, 1002)

        def reserved_bit_is_1002():
            connection = open_connection()
            connection.send(frame(TEXT, b"rsv1 without an extension", rsv=0b100))
            expect_close(connection, 1002)

        def oversized_head_is_431():
            connection = interop.RawConnection(server.port)
            # No blank line within the first 8 KiB: the server must answer without waiting for more.
            head = ("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\nX-Padding: " + "a" * 9000)
            connection.send(head.encode())
            status, fields, text = connection.read_head()
            assert status == 431, f"expected 431, got:\n{text}"
            connection.read_rest()
            connection.close()

        def oversized_complete_head_is_431():
            connection = interop.RawConnection(server.port)
            fields = "".join(f"X-Field-{i}: {'b' * 100}\r\n" for i in range(90))  # ~10 KiB
            head = ("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\n" + fields + "\r\n")
            assert len(head) > 8192
            connection.send(head.encode())
            status, _, text = connection.read_head()
            assert status == 431, f"expected 431, got:\n{text}"
            connection.close()

        def wrong_version_is_426():
            connection = interop.RawConnection(server.port)
            request = ("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 8\r\n\r\n")
            connection.send(request.encode())
            status, fields, text = connection.read_head()
            assert status == 426, f"expected 426, got:\n{text}"
            assert fields.get("sec-websocket-version") == "13", f"no Sec-WebSocket-Version: 13 in:\n{text}"
            body = connection.read_rest()
            length = fields.get("content-length")
            assert length is not None and int(length) == len(body), \
                f"Content-Length {length} but a {len(body)}-byte body:\n{text}"
            connection.close()

        def post_is_405():
            connection = interop.RawConnection(server.port)
            request = ("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n")
            connection.send(request.encode())
            status, fields, text = connection.read_head()
            assert status == 405, f"expected 405, got:\n{text}"
            assert fields.get("allow") == "GET", f"no Allow: GET in:\n{text}"
            connection.close()

        def short_key_is_400():
            connection = interop.RawConnection(server.port)
            request = ("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Key: c2hvcnQ=\r\n"
                       "Sec-WebSocket-Version: 13\r\n\r\n")
            connection.send(request.encode())
            status, _, text = connection.read_head()
            assert status == 400, f"expected 400, got:\n{text}"
            connection.close()

        interop.run_checks([
            ("good echo works", good_echo_still_works),
            ("invalid UTF-8 -> 1007", invalid_utf8_is_1007),
            ("invalid UTF-8 across fragments -> 1007", invalid_utf8_across_fragments_is_1007),
            ("overlong UTF-8 -> 1007", overlong_encoding_is_1007),
            ("unmasked frame -> 1002", unmasked_frame_is_1002),
            ("reserved bit -> 1002", reserved_bit_is_1002),
            ("head over 8 KiB without an end -> 431", oversized_head_is_431),
            ("complete head over 8 KiB -> 431", oversized_complete_head_is_431),
            ("Sec-WebSocket-Version 8 -> 426", wrong_version_is_426),
            ("POST upgrade -> 405", post_is_405),
            ("short key -> 400", short_key_is_400),
            ("good echo still works afterwards", good_echo_still_works),
        ], server)


if __name__ == "__main__":
    main()
