"""Shared helpers for the Python interop tests: skipping, a watchdog, starting `duplex serve`,
and a raw-socket WebSocket client for the tests that must send what no library would.

Every test is a plain script run as `/usr/bin/python3 TEST.py PATH/TO/duplex`; exit status 0 is a
pass, 77 a skip (CTest's SKIP_RETURN_CODE), anything else a failure.
"""

import base64
import hashlib
import os
import queue
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

SKIP = 77
LISTENING = re.compile(r"listening on wss?://(\[[^\]]+\]|[^\s/:]+):(\d+)")
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

_children = []


def log(message):
    print(message, file=sys.stderr, flush=True)


def peers_required():
    """In CI (CI=true, what .ci/run sets) or with DUPLEX_REQUIRE_PEERS=1, a missing peer fails."""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("DUPLEX_REQUIRE_PEERS", "") == "1"


def skip(reason):
    """Skips (exit 77) locally; fails when peers are required, so coverage cannot vanish in CI."""
    if peers_required():
        print(f"FAIL: {reason} (a missing peer fails the run when CI=true or DUPLEX_REQUIRE_PEERS=1)",
              flush=True)
        sys.exit(1)
    print(f"SKIP: {reason}", flush=True)
    sys.exit(SKIP)


def require_websockets():
    """The python3-websockets module (Debian's package), or a skip."""
    try:
        import websockets  # noqa: F401
        import websockets.exceptions  # noqa: F401
    except ImportError:
        skip("the Python 'websockets' module is not installed (apt-get install python3-websockets)")
    return websockets


def duplex_binary():
    path = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DUPLEX_BIN", "")
    if not path:
        sys.exit("usage: TEST.py PATH/TO/duplex (or DUPLEX_BIN=...)")
    if not os.access(path, os.X_OK):
        sys.exit(f"FAIL: the duplex binary {path!r} does not exist or is not executable")
    return path


def start_watchdog(seconds=30):
    """Ends the whole test (and the processes it started) after `seconds`, whatever it is doing."""

    def expire():
        log(f"FAIL: the test did not finish within {seconds} s")
        for child in _children:
            try:
                child.kill()
            except OSError:
                pass
        os._exit(1)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    return timer


def spawn(args, **kwargs):
    """subprocess.Popen, remembered so the watchdog can kill it."""
    child = subprocess.Popen(args, **kwargs)
    _children.append(child)
    return child


class DuplexServer:
    """`duplex serve --plain --listen 127.0.0.1:0 ...` (without --plain when `tls`), its port read
    from its startup line; `env` adds to the environment (XDG_DATA_HOME, SSLKEYLOGFILE).

    Both output streams are drained by threads for the whole run (the server logs a line per
    connection and must never block on a full pipe); `output()` returns what it printed, for
    failure messages.
    """

    def __init__(self, binary, extra_args=(), startup_timeout=10, tls=False, env=None):
        self.args = [binary, "serve", *([] if tls else ["--plain"]), "--listen", "127.0.0.1:0", *extra_args]
        self.tls = tls
        self.lines = []
        self._lines_lock = threading.Lock()
        self._startup = queue.Queue()
        self.process = spawn(self.args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=dict(os.environ, **(env or {})))
        for stream in (self.process.stdout, self.process.stderr):
            threading.Thread(target=self._drain, args=(stream,), daemon=True).start()
        try:
            self.host, self.port = self._startup.get(timeout=startup_timeout)
        except queue.Empty:
            self.stop()
            raise AssertionError(f"`{' '.join(self.args)}` printed no 'listening on ws://HOST:PORT' "
                                 f"line within {startup_timeout} s; output:\n{self.output()}")
        if self.host.startswith("["):
            self.host = self.host[1:-1]

    def _drain(self, stream):
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._lines_lock:
                self.lines.append(line)
            match = LISTENING.search(line)
            if match:
                self._startup.put((match.group(1), int(match.group(2))))
        stream.close()

    def output(self):
        with self._lines_lock:
            return "\n".join(self.lines)

    def url(self, path="/", host="127.0.0.1"):
        return f"{'wss' if self.tls else 'ws'}://{host}:{self.port}{path}"

    def stop(self):
        """SIGTERM, then SIGKILL after 5 s. Returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                log("the server ignored SIGTERM for 5 s; killing it")
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        self.stop()
        if kind is not None and not issubclass(kind, SystemExit):  # run_checks showed it already
            log(f"--- duplex serve output ---\n{self.output()}\n---")
        return False


# --- a raw WebSocket client, for frames no library sends ---

class RawConnection:
    """A TCP connection speaking the opening handshake and frames by hand."""

    def __init__(self, port, host="127.0.0.1", timeout=10):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buffer = b""

    def close(self):
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("the server closed the connection")
        self.buffer += chunk

    def read_exact(self, count):
        while len(self.buffer) < count:
            self._fill()
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def read_head(self):
        """Reads an HTTP response head; returns (status, {lower-case name: value}, head text)."""
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        text = head.decode("latin-1")
        lines = text.split("\r\n")
        status = int(lines[0].split(" ")[1])
        fields = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            fields.setdefault(name.strip().lower(), []).append(value.strip())
        return status, {name: ", ".join(values) for name, values in fields.items()}, text

    def read_rest(self):
        """Everything until the server closes (the body of a refusal)."""
        try:
            while True:
                self._fill()
        except (EOFError, ConnectionResetError):
            pass
        data, self.buffer = self.buffer, b""
        return data

    def handshake(self, path="/echo", extra_fields=()):
        key = base64.b64encode(os.urandom(16)).decode()
        fields = [("Host", f"127.0.0.1"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
                  ("Sec-WebSocket-Key", key), ("Sec-WebSocket-Version", "13"), *extra_fields]
        request = f"GET {path} HTTP/1.1\r\n" + "".join(f"{n}: {v}\r\n" for n, v in fields) + "\r\n"
        self.send(request.encode())
        status, headers, text = self.read_head()
        assert status == 101, f"expected 101, got:\n{text}"
        expected = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        assert headers.get("sec-websocket-accept") == expected, f"wrong Sec-WebSocket-Accept:\n{text}"

    @staticmethod
    def frame(opcode, payload, fin=True, mask=True, rsv=0):
        first = (0x80 if fin else 0) | (rsv << 4) | opcode
        length = len(payload)
        mask_bit = 0x80 if mask else 0
        if length < 126:
            header = struct.pack("!BB", first, mask_bit | length)
        elif length < 65536:
            header = struct.pack("!BBH", first, mask_bit | 126, length)
        else:
            header = struct.pack("!BBQ", first, mask_bit | 127, length)
        if not mask:
            return header + payload
        key = os.urandom(4)
        masked = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
        return header + key + masked

    def read_frame(self):
        """Reads one frame from the server; returns (fin, opcode, payload)."""
        first, second = self.read_exact(2)
        assert not second & 0x80, "the server sent a masked frame (RFC 6455 §5.1 forbids it)"
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self.read_exact(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self.read_exact(8))
        return bool(first & 0x80), first & 0x0F, self.read_exact(length)

    def read_close(self):
        """Reads frames until a close frame; returns (code, reason). Code 1005 for an empty body."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            _, opcode, payload = self.read_frame()
            if opcode == 0x8:
                if not payload:
                    return 1005, ""
                (code,) = struct.unpack("!H", payload[:2])
                return code, payload[2:].decode("utf-8", "replace")
        raise AssertionError("no close frame within 10 s")

    def expect_eof(self, timeout=5):
        """The server must close the TCP connection after the close handshake."""
        self.sock.settimeout(timeout)
        try:
            while True:
                self._fill()
        except (EOFError, ConnectionResetError):
            return
        except socket.timeout:
            raise AssertionError(f"the server kept the TCP connection open {timeout} s after closing")


def run_checks(checks, server=None):
    """Runs each (name, function) in order, reporting each; exits 1 if any failed (after showing
    the server's output, when there is one)."""
    if server is not None:
        def server_exits_cleanly():
            # Last: the server survived everything above and shuts down cleanly (a sanitizer
            # report would make its status non-zero).
            status = server.stop()
            assert status == 0, f"duplex serve exited with status {status} after SIGTERM"
        checks = [*checks, ("the server exits 0 on SIGTERM", server_exits_cleanly)]
    failed = []
    for name, check in checks:
        started = time.monotonic()
        try:
            check()
        except Exception as error:  # noqa: BLE001 - report every failure, keep going
            failed.append(name)
            log(f"FAIL {name}: {type(error).__name__}: {error}")
        else:
            log(f"ok   {name} ({time.monotonic() - started:.2f} s)")
    if failed:
        if server is not None:
            log(f"--- duplex serve output ---\n{server.output()}\n---")
        log(f"{len(failed)} of {len(checks)} checks failed: {', '.join(failed)}")
        sys.exit(1)
    log(f"all {len(checks)} checks passed")
