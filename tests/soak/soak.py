"""Soak test under faults: `duplex serve` keeps serving good clients while it is attacked.

    /usr/bin/python3 tests/soak/soak.py PATH/TO/duplex --scheme ws|wss --seconds N [options]

It starts `duplex serve` itself (`--plain` for ws://, TLS with the development certificate for
wss://, on 127.0.0.1 and a free port, XDG_DATA_HOME in a temporary directory) with a short
`--handshake-timeout` and a small `--max-message-bytes`, then:

1. baseline: good clients (one process each) echo on /echo, each sending a message, waiting for the echo
   and checking it is identical, paced at --good-rate messages/s (0: as fast as they can); their
   rate and the server's RSS are measured with no attacker;
2. two attack rounds of N/2 seconds each, while the good clients keep echoing; in each round one
   thread per kind of attacker opens connections in waves until the round ends:
     slowloris    the upgrade head (ws) or a real ClientHello (wss), one byte a second
     idle         hundreds of TCP connections that send nothing
     garbage      random bytes as the HTTP head (ws) or instead of a ClientHello (wss)
     junk-record  wss: a valid 5-byte TLS record header followed by a random body
     violator     after the upgrade: an unmasked frame (1002), an oversized message, in one frame
                  and in fragments (1009), invalid UTF-8 in a text frame and across fragments (1007)
     reset        after the upgrade: half of a 64 KiB frame, then a TCP reset (SO_LINGER 0)
     non-reader   after the upgrade: 64 KiB messages to /echo, never reading the echoes
3. a new connection must still upgrade and echo, and the server must exit 0 on SIGTERM.

It samples the server's VmRSS every second and fails (exit 1, one sentence per failed assertion)
unless: the good clients saw no error and each kept at least half its baseline rate in each
round; every attacker connection was closed by the server within its limit (the handshake timeout
plus --margin for slowloris, idle and garbage; the close timeout plus --margin for violators,
with the exact close code); no non-reader could push --nonreader-cap-mib (the server must stop
reading it or close it); once a round's connections are gone (the server back to its baseline
descriptors), its RSS does not grow by more than 5% (at least 4 MiB) from each of three identical
rounds to the next (the allocator may keep pages once; a leak grows every round); the peak RSS is
less than --rss-growth-mib above the baseline; the final checks pass.

All traffic is on 127.0.0.1; every loop is bounded in count and time; a watchdog ends the run.
Only the standard library and tests/interop/interop.py are used (Python's ssl is the TLS peer).
"""

import argparse
import multiprocessing
import os
import queue
import random
import selectors
import shutil
import socket
import ssl
import statistics
import struct
import sys
import tempfile
import threading
import time
from dataclasses import dataclass

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
import interop  # noqa: E402

TEXT, BINARY, CONTINUATION, CLOSE, PING, PONG = 0x1, 0x2, 0x0, 0x8, 0x9, 0xA
CLOSE_TIMEOUT = 2.0  # the runtime's close timeout (README: "close timeout (2 s)")
MIB = 1024 * 1024
GRACE = 2.0  # how long past its limit a connection is still watched, to report how late it was


# --- one record per attacker connection ---

@dataclass
class Result:
    kind: str
    round: int
    opened: float                 # time.monotonic() when the TCP connection was established
    limit: float | None = None    # the server must end it within this many seconds (None: no limit)
    closed: float | None = None   # when we saw the server end it (EOF or reset)
    how: str = ""                 # eof, reset, closed by us, still open, ...
    sent: int = 0                 # bytes the socket accepted from us
    received: int = 0
    expected_code: int | None = None
    close_code: int | None = None
    problem: str = ""             # why this connection fails the test ("" when it passes)

    @property
    def lifetime(self):
        return None if self.closed is None else self.closed - self.opened

    def end(self, how, at=None):
        if self.closed is None:
            self.closed = time.monotonic() if at is None else at
            self.how = how
        if self.limit is not None and not self.problem and self.lifetime > self.limit:
            self.problem = f"closed after {self.lifetime:.2f} s, limit {self.limit:.1f} s ({self.how})"


# --- wire helpers ---

def mask_bytes(payload, key):
    """XOR with the 4-byte key, fast enough for 64 KiB payloads in pure Python."""
    if not payload:
        return b""
    n = len(payload)
    stream = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(stream, "big")).to_bytes(n, "big")


def frame_header(opcode, length, fin=True, mask=True):
    first = (0x80 if fin else 0) | opcode
    bit = 0x80 if mask else 0
    if length < 126:
        return struct.pack("!BB", first, bit | length)
    if length < 65536:
        return struct.pack("!BBH", first, bit | 126, length)
    return struct.pack("!BBQ", first, bit | 127, length)


def frame(opcode, payload, fin=True, mask=True):
    header = frame_header(opcode, len(payload), fin, mask)
    if not mask:
        return header + payload
    key = os.urandom(4)
    return header + key + mask_bytes(payload, key)


def close_frame(code):
    return frame(CLOSE, struct.pack("!H", code))


def rst_close(sock):
    """Closes with SO_LINGER 0: the kernel sends a reset instead of a FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


def client_hello():
    """The bytes of a real TLS ClientHello (Python's ssl, through memory BIOs: nothing is sent)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def upgrade_head():
    key = "dGhlIHNhbXBsZSBub25jZQ=="
    return (f"GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()


def open_websocket(port, tls, timeout=5):
    """An upgraded connection on /echo (over TLS when `tls` is an SSLContext), as an
    interop.RawConnection."""
    connection = interop.RawConnection(port, timeout=timeout)
    if tls is not None:
        connection.sock = tls.wrap_socket(connection.sock, server_hostname="127.0.0.1")
    connection.handshake("/echo")
    return connection


def tls_client_context(ca):
    context = ssl.create_default_context(cafile=ca)  # the development CA, nothing else
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    return context


# --- good clients, one process each: the attackers' Python work (one GIL) must not
# --- show up as the server's latency ---

def good_client(port, tls, index, rate, echo_timeout, shared, stop, errors):
    """Echo on /echo until `stop` is set; the first problem goes to `errors` and ends it.
    shared.counts[index] counts echoes; shared.longest[index] and longest_at[index] are the
    longest echo and when it started (time.monotonic() is system-wide on Linux)."""
    rng = random.Random(index)
    payloads = [(TEXT, bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz0123456789 ") for _ in range(size)))
                for size in (1, 20, 125, 126, 500, 1000)]
    payloads += [(BINARY, rng.randbytes(size)) for size in (0, 64, 300, 2000, 4096)]
    interval = 1.0 / rate if rate > 0 else 0.0
    connection, count = None, 0
    try:
        connection = open_websocket(port, tls, timeout=echo_timeout)
        next_at = time.monotonic()
        while not stop.is_set():
            if interval:
                next_at += interval
                delay = next_at - time.monotonic()
                if delay > 0:
                    if stop.wait(delay):
                        break
                elif delay < -0.1:  # no bursts to catch up after a stall: a stall must cost rate
                    next_at = time.monotonic()
            opcode, payload = payloads[count % len(payloads)]
            started = time.monotonic()
            connection.send(frame(opcode, payload))
            while True:
                fin, got, data = connection.read_frame()
                if got == PING:
                    connection.send(frame(PONG, data))
                    continue
                if got == CLOSE:
                    code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 1005
                    raise AssertionError(f"the server closed the connection with {code}")
                if (got, fin, data) != (opcode, True, payload):
                    raise AssertionError(f"echo differs: sent opcode {opcode} {len(payload)} bytes, got opcode "
                                         f"{got} fin {fin} {len(data)} bytes")
                break
            latency = time.monotonic() - started
            if latency > shared.longest[index]:
                shared.longest[index], shared.longest_at[index] = latency, started
            count += 1
            shared.counts[index] = count
        connection.send(close_frame(1000))
        code, _ = connection.read_close()
        if code != 1000:
            raise AssertionError(f"closing with 1000 got {code} back")
    except Exception as error:  # noqa: BLE001 - every error of a good client is a failure
        errors.put((index, f"after {count} echoes: {type(error).__name__}: {error}"))
    finally:
        if connection is not None:
            connection.close()


def good_client_process(port, ca, index, args, shared, stop, errors, parent):
    """One good client's process, until `stop` is set or the parent is gone."""
    client = threading.Thread(target=good_client, daemon=True,
                               args=(port, tls_client_context(ca) if ca else None, index, args.good_rate,
                                     args.echo_timeout, shared, stop, errors))
    client.start()
    while not stop.wait(0.5):
        if os.getppid() != parent:  # the soak ended without telling us
            stop.set()
    client.join(args.echo_timeout + 5)


class GoodClients:
    """The good clients, one process each (so that neither the attackers nor the other clients
    share their interpreter lock), seen from the soak: counts, longest echoes, errors."""

    def __init__(self, args, port, ca):
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no threads forked
        n = args.good_clients
        self.shared = argparse.Namespace(counts=context.Array("q", n, lock=False),
                                         longest=context.Array("d", n, lock=False),
                                         longest_at=context.Array("d", n, lock=False))
        self.stop_event = context.Event()
        self.error_queue = context.Queue()
        self.errors = [""] * n
        self.processes = [context.Process(target=good_client_process, daemon=True,
                                          args=(port, ca, i, args, self.shared, self.stop_event, self.error_queue,
                                                os.getpid()))
                          for i in range(n)]
        for process in self.processes:
            process.start()

    def counts(self):
        return list(self.shared.counts)

    def collect_errors(self):
        while True:
            try:
                index, text = self.error_queue.get_nowait()
            except queue.Empty:
                return
            self.errors[index] = self.errors[index] or text

    def wait_all_echoing(self, seconds):
        """True once every client has echoed once; False if one failed or the time ran out."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.collect_errors()
            if any(self.errors):
                return False
            if all(self.counts()):
                return True
            time.sleep(0.05)  # polling a shared counter, with a deadline
        return False

    def stop(self, seconds):
        """Stops the clients (each closes with 1000); False if one did not end in time."""
        self.stop_event.set()
        deadline = time.monotonic() + seconds
        ended = True
        for process in self.processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
                ended = False
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:  # the queue's feeder thread may lag the exit a little
            self.collect_errors()
            if self.error_queue.empty():
                break
            time.sleep(0.05)
        return ended


# --- the run's shared state ---

class Soak:
    def __init__(self, args, server, tls_context, ca):
        self.args = args
        self.server = server
        self.port = server.port
        self.tls = tls_context  # None for ws://
        self.ca = ca
        self.results = []
        self.lock = threading.Lock()
        self.stop_sampling = threading.Event()
        self.round_end = 0.0
        self.phase = "start"
        self.phases = []  # (monotonic time, phase) at each change
        self.started = time.monotonic()
        self.rss = []  # (monotonic time, phase, bytes)
        self.baseline_fds = -1  # descriptors the server holds with only the good clients
        self.snapshots = {}  # phase boundary name -> (time, [count per good client])
        self.good = None  # GoodClients
        self.handshake_limit = args.handshake_timeout + args.margin
        self.violator_limit = CLOSE_TIMEOUT + args.margin

    def set_phase(self, phase):
        self.phase = phase
        self.phases.append((time.monotonic(), phase))

    def phase_at(self, moment):
        current = "start"
        for at, phase in self.phases:
            if at <= moment:
                current = phase
        return current

    def record(self, result):
        with self.lock:
            self.results.append(result)
        return result

    def can_start(self, limit):
        """A new wave starts only if it can be fully observed before the round ends (and while
        the server runs: after a crash one failure is enough)."""
        return time.monotonic() + (limit or 0) <= self.round_end and self.server.process.poll() is None

    def tcp(self, timeout=5):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def websocket(self, timeout=5):
        return open_websocket(self.port, self.tls, timeout)

    def snapshot(self, name):
        self.snapshots[name] = (time.monotonic(), self.good.counts())

    def rate(self, start, end, client=None):
        t0, c0 = self.snapshots[start]
        t1, c1 = self.snapshots[end]
        if client is None:
            return (sum(c1) - sum(c0)) / (t1 - t0)
        return (c1[client] - c0[client]) / (t1 - t0)

    def sample_rss(self):
        try:
            with open(f"/proc/{self.server.process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        value = int(line.split()[1]) * 1024
                        self.rss.append((time.monotonic(), self.phase, value))
                        return value
        except OSError:
            return None
        return None


def rss_sampler(soak):
    while not soak.stop_sampling.wait(1.0):
        soak.sample_rss()


# --- watching attacker connections until the server ends them ---

def watch_until_closed(pairs, tick=None):
    """pairs: [(socket, Result)]. Reads and drops what the server sends until it ends each
    connection (EOF or reset), or until the Result's limit (+ GRACE) has passed. `tick(open_pairs)`,
    when given, is called once a second and returns the pairs whose send failed (ended by then)."""
    selector = selectors.DefaultSelector()
    live = {}
    for sock, result in pairs:
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, result)
        live[sock] = result
    next_tick = time.monotonic() + 1.0

    def finish(sock, how, at=None):
        live.pop(sock).end(how, at)
        selector.unregister(sock)
        sock.close()

    while live:
        now = time.monotonic()
        if tick is not None and now >= next_tick:
            next_tick += 1.0
            for sock, how in tick(list(live.items())):
                finish(sock, how)
            continue
        watch_until = min(r.opened + (r.limit or 0) + GRACE for r in live.values())
        for sock, result in [(s, r) for s, r in live.items() if r.opened + (r.limit or 0) + GRACE <= now]:
            live.pop(sock)
            selector.unregister(sock)
            result.how = "still open"
            result.problem = f"still open {now - result.opened:.1f} s after connecting (limit {result.limit:.1f} s)"
            rst_close(sock)
        if not live:
            break
        wake = min(watch_until, next_tick) if tick is not None else watch_until
        for key, _ in selector.select(max(0.0, wake - now)):
            sock, result = key.fileobj, key.data
            try:
                data = sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except ConnectionResetError:
                finish(sock, "reset")
                continue
            except OSError as error:
                finish(sock, f"error {error.strerror}")
                continue
            if data:
                result.received += len(data)
            else:
                finish(sock, "eof")
    selector.close()


def open_attackers(soak, kind, rnd, count, limit, first_bytes=b""):
    """`count` TCP connections, each sending `first_bytes`; returns [(socket, Result)]. A send the
    server cuts short counts as the server ending the connection."""
    pairs = []
    for _ in range(count):
        try:
            sock = soak.tcp()
        except OSError as error:
            soak.record(Result(kind, rnd, time.monotonic(), limit, problem=f"could not connect: {error}"))
            continue
        result = soak.record(Result(kind, rnd, time.monotonic(), limit))
        try:
            if first_bytes:
                sock.sendall(first_bytes)
                result.sent = len(first_bytes)
        except (BrokenPipeError, ConnectionResetError):
            result.end("reset while sending")
            sock.close()
            continue
        pairs.append((sock, result))
    return pairs


# --- one function per kind of attacker; each runs one round, in waves, in its own thread ---

def attack_slowloris(soak, rnd):
    """The upgrade head (ws) or a real ClientHello (wss), one byte a second: the handshake
    timeout must end each connection."""
    limit = soak.handshake_limit
    for _ in range(100):
        if not soak.can_start(limit):
            return
        message = client_hello() if soak.tls else upgrade_head()
        pairs = open_attackers(soak, "slowloris", rnd, soak.args.slowloris, limit)
        position = {}

        def one_byte_each(live):
            ended = []
            for sock, result in live:
                at = position.get(sock, 0)
                if at >= len(message):
                    continue
                try:
                    sock.send(message[at:at + 1])
                    position[sock] = at + 1
                    result.sent += 1
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    ended.append((sock, "reset while sending"))
            return ended

        one_byte_each(pairs)
        watch_until_closed(pairs, tick=one_byte_each)


def attack_idle(soak, rnd):
    """Hundreds of TCP connections that send nothing: the handshake timeout must end them."""
    limit = soak.handshake_limit
    for _ in range(100):
        if not soak.can_start(limit):
            return
        watch_until_closed(open_attackers(soak, "idle", rnd, soak.args.idle, limit))
        time.sleep(0.1)  # pacing only


def attack_garbage(soak, rnd):
    """Random bytes in place of the HTTP head (ws) or of the ClientHello (wss); with wss also
    junk TLS records: a valid handshake record header and a random body."""
    limit = soak.handshake_limit
    rng = random.Random(rnd)
    kinds = ["garbage", "junk-record"] if soak.tls else ["garbage"]
    for wave in range(200):
        if not soak.can_start(limit):
            return
        pairs = []
        for i in range(soak.args.garbage):
            kind = kinds[(wave + i) % len(kinds)]
            if kind == "garbage":
                data = rng.randbytes(rng.randint(1, 12000))
            else:
                length = rng.randint(1, 16384)
                data = struct.pack("!BHH", rng.choice([22, 22, 23, 21, 20]), 0x0301, length) + rng.randbytes(length)
            pairs += open_attackers(soak, kind, rnd, 1, limit, data)
        watch_until_closed(pairs)
        time.sleep(0.2)  # pacing only


def violation(soak, rnd, name, expected, send):
    """One protocol violation after the upgrade: the server must send a close frame with
    `expected` and end the connection within the violator limit."""
    limit = soak.violator_limit
    try:
        connection = soak.websocket(timeout=limit)
    except Exception as error:  # noqa: BLE001
        soak.record(Result(f"violator:{name}", rnd, time.monotonic(), limit,
                           problem=f"the upgrade failed: {type(error).__name__}: {error}"))
        return
    result = soak.record(Result(f"violator:{name}", rnd, time.monotonic(), limit, expected_code=expected))
    try:
        try:
            result.sent = send(connection)
        except (BrokenPipeError, ConnectionResetError) as error:
            result.how = f"{type(error).__name__} while sending"  # the server may close before reading it all
        connection.sock.settimeout(max(0.1, result.opened + limit + GRACE - time.monotonic()))
        result.close_code, _ = connection.read_close()
        try:
            connection.send(close_frame(result.close_code))
        except OSError:
            pass  # the server may have closed already: it owes us nothing more
        connection.sock.settimeout(max(0.1, result.opened + limit + GRACE - time.monotonic()))
        connection.read_rest()  # until EOF or reset
        result.end("eof")
    except (socket.timeout, TimeoutError):
        result.how = "still open"
        result.problem = (f"no close frame within {limit + GRACE:.1f} s" if result.close_code is None else
                          f"close frame {result.close_code} but the connection was still open "
                          f"{limit + GRACE:.1f} s after connecting")
    except (EOFError, ConnectionResetError, ssl.SSLEOFError) as error:
        result.end(type(error).__name__)
        if result.close_code is None:
            result.problem = f"the connection ended without a close frame ({type(error).__name__})"
    except Exception as error:  # noqa: BLE001
        result.end(f"error {type(error).__name__}")
        result.problem = f"{type(error).__name__}: {error}"
    finally:
        rst_close(connection.sock)
    if not result.problem and result.close_code != expected:
        result.problem = f"close code {result.close_code}, expected {expected}"


def attack_violators(soak, rnd):
    """An unmasked frame (1002), an oversized message in one frame and in fragments (1009),
    invalid UTF-8 in one text frame and across fragments (1007)."""
    limit_bytes = soak.args.max_message_bytes

    def unmasked(c):
        data = frame(TEXT, b"hello, unmasked", mask=False)
        c.send(data)
        return len(data)

    def oversized(c):  # the header declares one byte more than the limit; 64 KiB of it follows
        key = os.urandom(4)
        data = frame_header(BINARY, limit_bytes + 1) + key + mask_bytes(os.urandom(65536), key)
        c.send(data)
        return len(data)

    def oversized_fragments(c):  # 4 fragments bringing the message exactly to the limit, then 1 byte more
        quarter = limit_bytes // 4
        sent = 0
        for i in range(4):
            data = frame(BINARY if i == 0 else CONTINUATION, os.urandom(quarter), fin=False)
            c.send(data)
            sent += len(data)
        data = frame(CONTINUATION, b"x" * (limit_bytes - 4 * quarter + 1), fin=True)
        c.send(data)
        return sent + len(data)

    def bad_utf8(c):
        data = frame(TEXT, b"valid until here \xc3\x28 then not")
        c.send(data)
        return len(data)

    def bad_utf8_fragments(c):  # a 3-byte sequence split across fragments, then a wrong continuation
        data = frame(TEXT, b"caf\xe2\x82", fin=False) + frame(CONTINUATION, b"\x41 no", fin=True)
        c.send(data)
        return len(data)

    cases = [("unmasked", 1002, unmasked), ("oversized", 1009, oversized),
             ("oversized-fragments", 1009, oversized_fragments), ("bad-utf8", 1007, bad_utf8),
             ("bad-utf8-fragments", 1007, bad_utf8_fragments)]
    for _ in range(50):
        if not soak.can_start(soak.violator_limit):
            return
        for name, expected, send in cases:
            violation(soak, rnd, name, expected, send)
        time.sleep(0.2)  # pacing only


def attack_reset(soak, rnd):
    """After the upgrade, half of a 64 KiB frame, then a TCP reset."""
    payload = os.urandom(65536)
    for _ in range(100):
        if not soak.can_start(1.0):
            return
        for _ in range(soak.args.resets):
            try:
                connection = soak.websocket()
            except Exception as error:  # noqa: BLE001
                soak.record(Result("reset", rnd, time.monotonic(),
                                   problem=f"the upgrade failed: {type(error).__name__}: {error}"))
                continue
            result = soak.record(Result("reset", rnd, time.monotonic()))
            data = frame(BINARY, payload)
            try:
                connection.send(data[: len(data) // 2])
                result.sent = len(data) // 2
            except OSError as error:
                result.problem = f"the server refused half a frame: {error}"
            rst_close(connection.sock)
            result.end("reset by us")
        time.sleep(0.25)  # pacing only


def non_reader(soak, rnd, cap):
    """After the upgrade, 64 KiB messages to /echo until the round ends, never reading: the
    server must stop reading (backpressure) or close the connection before `cap` bytes."""
    try:
        connection = soak.websocket()
    except Exception as error:  # noqa: BLE001
        soak.record(Result("non-reader", rnd, time.monotonic(),
                           problem=f"the upgrade failed: {type(error).__name__}: {error}"))
        return
    result = soak.record(Result("non-reader", rnd, time.monotonic()))
    sock = connection.sock
    sock.setblocking(False)
    message = frame(BINARY, os.urandom(65536))
    chunk = 16384  # the same chunk is retried after a TLS want-write, as OpenSSL requires
    offset, last_progress = 0, time.monotonic()
    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_WRITE)
    try:
        while result.sent < cap and time.monotonic() < soak.round_end:
            piece = message[offset:offset + chunk]
            try:
                written = sock.send(piece)
            except (BlockingIOError, ssl.SSLWantWriteError, ssl.SSLWantReadError):
                selector.select(min(0.5, max(0.0, soak.round_end - time.monotonic())))
                continue
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError) as error:
                result.end(f"closed by the server ({type(error).__name__})")
                break
            result.sent += written
            offset = (offset + written) % len(message)
            last_progress = time.monotonic()
        else:
            if result.sent >= cap:
                result.how = "cap reached"
                result.problem = (f"pushed {result.sent / MIB:.0f} MiB without being stopped: the server kept "
                                  f"reading a client that never reads its echoes")
            else:
                result.how = f"blocked for the last {time.monotonic() - last_progress:.1f} s"
    finally:
        selector.close()
        rst_close(sock)
        if result.closed is None:
            result.closed = time.monotonic()


def attack_non_readers(soak, rnd):
    threads = [threading.Thread(target=non_reader, args=(soak, rnd, soak.args.nonreader_cap_mib * MIB), daemon=True)
               for _ in range(soak.args.non_readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


ATTACKS = [attack_slowloris, attack_idle, attack_garbage, attack_violators, attack_reset, attack_non_readers]


# --- the run ---

def run_round(soak, rnd, seconds, failures):
    soak.set_phase(f"round {rnd}")
    soak.sample_rss()
    soak.snapshot(f"round {rnd} start")
    soak.round_end = time.monotonic() + seconds
    threads = [threading.Thread(target=attack, args=(soak, rnd), daemon=True, name=attack.__name__)
               for attack in ATTACKS]
    for thread in threads:
        thread.start()
    # The good clients' rate is measured over the round's attack window.
    while time.monotonic() < soak.round_end and soak.server.process.poll() is None:
        time.sleep(min(0.2, max(0.0, soak.round_end - time.monotonic())))
    soak.snapshot(f"round {rnd} end")
    # Attackers start no wave they cannot finish within the round; give the last ones their limit.
    join_deadline = time.monotonic() + max(soak.handshake_limit, soak.violator_limit) + GRACE + 5
    for thread in threads:
        thread.join(max(0.0, join_deadline - time.monotonic()))
        if thread.is_alive():
            failures.append(f"round {rnd}: the {thread.name} attacker did not finish "
                            f"{join_deadline - soak.round_end:.0f} s after the round ended (a hung connection?)")
    # The round's connections are gone once the server holds as many descriptors as in the
    # baseline; only then is its RSS what the round left behind.
    if not wait_for_descriptors(soak, soak.baseline_fds, 10):
        failures.append(f"round {rnd}: 10 s after its attackers finished, the server still held "
                        f"{count_descriptors(soak)} descriptors (baseline {soak.baseline_fds}): connections not released")
    soak.sample_rss()
    soak.set_phase(f"round {rnd} done")
    soak.sample_rss()


def count_descriptors(soak):
    try:
        return len(os.listdir(f"/proc/{soak.server.process.pid}/fd"))
    except OSError:
        return -1


def wait_for_descriptors(soak, target, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if 0 <= count_descriptors(soak) <= target:
            return True
        time.sleep(0.05)
    return False


def final_echo(soak):
    """A new connection still upgrades and echoes."""
    connection = soak.websocket(timeout=5)
    try:
        for message in (b"still alive", os.urandom(100000)):
            opcode = TEXT if message == b"still alive" else BINARY
            connection.send(frame(opcode, message))
            fin, got, data = connection.read_frame()
            assert (fin, got, data) == (True, opcode, message), f"echo differs (opcode {got}, {len(data)} bytes)"
        connection.send(close_frame(1000))
        code, _ = connection.read_close()
        assert code == 1000, f"close answered with {code}"
    finally:
        connection.close()


def mib(value):
    return f"{value / MIB:.1f}"


def report(soak, rounds, failures):
    args = soak.args
    out = []
    pace = f"paced at {args.good_rate:g} msg/s each" if args.good_rate > 0 else "unpaced"
    out.append(f"=== duplex soak: {args.scheme}://, {args.seconds:g} s of attacks in {rounds} rounds, "
               f"handshake timeout {args.handshake_timeout:g} s, max message {args.max_message_bytes} bytes ===")
    out.append(f"good clients: {args.good_clients} on /echo, {pace}")
    phases = [("baseline", "baseline start", "baseline end")]
    phases += [(f"round {r}", f"round {r} start", f"round {r} end") for r in range(1, rounds + 1)]
    for name, start, end in phases:
        if start in soak.snapshots and end in soak.snapshots:
            per = " ".join(f"{soak.rate(start, end, i):.0f}" for i in range(args.good_clients))
            out.append(f"  {name:<9} {soak.rate(start, end):8.0f} msg/s aggregate   (per client: {per})")
    if soak.good is None:
        out.append("  (the good clients never started)")
        errors = []
    else:
        shared = soak.good.shared
        out.append("  longest echo per client (ms): " + ", ".join(
            f"{shared.longest[i] * 1000:.1f} ({soak.phase_at(shared.longest_at[i])}, "
            f"+{shared.longest_at[i] - soak.started:.1f} s)" for i in range(args.good_clients)))
        errors = [f"client {i}: {error}" for i, error in enumerate(soak.good.errors) if error]
    out.append("  errors: " + ("; ".join(errors) if errors else "none"))

    out.append("server RSS (MiB), sampled every second:")
    by_phase = {}
    for _, phase, value in soak.rss:
        by_phase.setdefault(phase, []).append(value)
    if "baseline" in by_phase:
        out.append(f"  baseline  {mib(by_phase['baseline'][-1])}")
    for r in range(1, rounds + 1):
        values = by_phase.get(f"round {r}", []) + by_phase.get(f"round {r} done", [])
        if values:
            out.append(f"  round {r}   max {mib(max(values))}  at the end {mib(by_phase.get(f'round {r} done', values)[-1])}"
                       f"  ({len(values)} samples)")
    if "final" in by_phase:
        out.append(f"  final     {mib(by_phase['final'][-1])}")

    out.append("attacker connections (lifetime: connected -> the server ended it, seconds):")
    out.append(f"  {'kind':<30}{'count':>6}{'median':>8}{'max':>8}{'limit':>7}  how they ended")
    kinds = []
    for result in soak.results:
        if result.kind not in kinds:
            kinds.append(result.kind)
    for kind in kinds:
        results = [r for r in soak.results if r.kind == kind]
        lifetimes = [r.lifetime for r in results if r.lifetime is not None]
        hows = {}
        for r in results:
            hows[r.how or "?"] = hows.get(r.how or "?", 0) + 1
        how = ", ".join(f"{h} {n}" for h, n in sorted(hows.items(), key=lambda item: -item[1]))
        median = f"{statistics.median(lifetimes):.2f}" if lifetimes else "-"
        longest = f"{max(lifetimes):.2f}" if lifetimes else "-"
        limit = f"{results[0].limit:.1f}" if results[0].limit is not None else "-"
        codes = sorted({r.close_code for r in results if r.expected_code is not None}, key=str)
        extra = f"; close codes {codes}" if codes else ""
        out.append(f"  {kind:<30}{len(results):>6}{median:>8}{longest:>8}{limit:>7}  {how}{extra}")
    pushes = [r for r in soak.results if r.kind == "non-reader"]
    for r in range(1, rounds + 1):
        pushed = [f"{p.sent / MIB:.1f} MiB ({p.how})" for p in pushes if p.round == r]
        out.append(f"non-readers, round {r}: pushed " + (", ".join(pushed) if pushed else "-"))
    out.append("RESULT: " + ("PASS" if not failures else f"FAIL ({len(failures)} assertion(s) failed)"))
    for failure in failures:
        out.append(f"FAIL: {failure}")
    print("\n".join(out), flush=True)


def check(soak, rounds, failures):
    args = soak.args
    # Good clients.
    for i, error in enumerate(soak.good.errors if soak.good else []):
        if error:
            failures.append(f"good client {i} saw an error: {error}")
    for r in range(1, rounds + 1):
        start, end = f"round {r} start", f"round {r} end"
        if start not in soak.snapshots or end not in soak.snapshots:
            continue
        for i in range(args.good_clients):
            base, attacked = soak.rate("baseline start", "baseline end", i), soak.rate(start, end, i)
            if attacked < 0.5 * base:
                failures.append(f"good client {i} echoed {attacked:.0f} msg/s in round {r}, less than half "
                                f"its baseline of {base:.0f} msg/s")
    # Attackers: one sentence per kind and round, with the count and the first example.
    seen = {}
    for result in soak.results:
        if result.problem:
            seen.setdefault((result.kind, result.round), []).append(result)
    for (kind, r), bad in seen.items():
        total = sum(1 for x in soak.results if x.kind == kind and x.round == r)
        failures.append(f"round {r}: {len(bad)} of {total} {kind} connections failed, e.g. {bad[0].problem}")
    # Memory.
    def values(phase_names):
        return [v for _, phase, v in soak.rss if phase in phase_names]
    baseline = values({"baseline"})
    peaks = [max(values({f"round {r}", f"round {r} done"}), default=None) for r in range(1, rounds + 1)]
    if baseline and all(p is not None for p in peaks):
        base = baseline[-1]
        bound = args.rss_growth_mib * MIB
        for r, peak in enumerate(peaks, 1):
            if peak - base > bound:
                failures.append(f"the server's RSS grew by {mib(peak - base)} MiB over its baseline of {mib(base)} MiB "
                                f"in round {r} (peak {mib(peak)} MiB), more than the {args.rss_growth_mib} MiB allowed")
        # A leak shows in what stays once a round's connections are gone, not in a peak (the peaks
        # hold whatever the non-readers had in flight at a sampling instant). The allocator may
        # keep freed pages after a round, a jump that then stays flat; a leak grows every round.
        settled = [values({f"round {r} done"}) for r in range(1, rounds + 1)]
        if len(settled) >= 3 and all(settled):
            after = [v[-1] for v in settled]
            steps = [b - a for a, b in zip(after, after[1:])]
            allowed = max(0.05 * after[0], 4 * MIB)
            if all(step > allowed for step in steps):
                failures.append(f"the server's RSS with each round's connections gone grew round after round "
                                f"({' -> '.join(mib(v) for v in after)} MiB, each step more than {mib(allowed)} MiB): "
                                f"memory is not given back between identical attack rounds (a leak?)")
    else:
        failures.append("too few RSS samples to judge the server's memory (did it exit?)")


def run(args, home):
    failures = []
    extra = ["--handshake-timeout", f"{args.handshake_timeout:g}", "--max-message-bytes", str(args.max_message_bytes)]
    if args.server_threads:
        extra += ["--threads", str(args.server_threads)]
    tls = args.scheme == "wss"
    server = interop.DuplexServer(args.duplex, extra, tls=tls, env={"XDG_DATA_HOME": home}, startup_timeout=30)
    ca = os.path.join(home, "duplex", "ca.pem") if tls else None
    soak = Soak(args, server, tls_client_context(ca) if tls else None, ca)
    rounds = 3
    try:
        threading.Thread(target=rss_sampler, args=(soak,), daemon=True).start()
        soak.good = GoodClients(args, server.port, ca)
        if not soak.good.wait_all_echoing(15):
            failures.append("the good clients did not all echo once within 15 s of starting")
        else:
            soak.set_phase("baseline")
            soak.baseline_fds = count_descriptors(soak)
            soak.sample_rss()
            soak.snapshot("baseline start")
            soak.stop_sampling.wait(args.baseline_seconds)  # a measuring window, not an ordering wait
            soak.sample_rss()
            soak.snapshot("baseline end")
            if soak.rate("baseline start", "baseline end") <= 0:
                failures.append("the good clients echoed nothing during the baseline")
            for r in range(1, rounds + 1):
                if server.process.poll() is not None:
                    break
                run_round(soak, r, max(args.seconds / rounds, soak.handshake_limit + 1), failures)
        soak.set_phase("final")
        if server.process.poll() is not None:
            failures.append(f"duplex serve exited with status {server.process.returncode} during the run")
        else:
            try:
                final_echo(soak)
            except Exception as error:  # noqa: BLE001
                failures.append(f"after the attacks, a new connection could not echo: {type(error).__name__}: {error}")
        if not soak.good.stop(args.echo_timeout + 5):
            failures.append("the good clients did not stop within their echo timeout")
        soak.sample_rss()
        soak.stop_sampling.set()
        check(soak, rounds, failures)
    finally:
        if soak.good is not None and any(p.is_alive() for p in soak.good.processes):
            soak.good.stop(2)
        status = server.stop()
    if status != 0:
        failures.append(f"duplex serve exited with status {status} (expected 0 after SIGTERM)")
    report(soak, rounds, failures)
    if failures:
        tail = server.output().splitlines()[-40:]
        interop.log("--- the last lines of duplex serve's output ---\n" + "\n".join(tail) + "\n---")
    return not failures


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("duplex", help="the duplex binary")
    parser.add_argument("--scheme", choices=["ws", "wss"], default="ws")
    parser.add_argument("--seconds", type=float, default=12, help="attack time, split into three rounds")
    parser.add_argument("--baseline-seconds", type=float, default=2.0)
    parser.add_argument("--good-clients", type=int, default=4)
    parser.add_argument("--good-rate", type=float, default=200,
                        help="messages/s per good client (0: unpaced; paced keeps the CPU use modest and the "
                             "rate independent of other tests running on the machine)")
    parser.add_argument("--echo-timeout", type=float, default=5.0, help="a good client's longest wait for an echo")
    parser.add_argument("--handshake-timeout", type=float, default=2.0)
    parser.add_argument("--margin", type=float, default=2.0, help="seconds allowed past a timeout")
    parser.add_argument("--max-message-bytes", type=int, default=1048576)
    parser.add_argument("--slowloris", type=int, default=20, help="slowloris connections per wave")
    parser.add_argument("--idle", type=int, default=250, help="idle connections per wave")
    parser.add_argument("--garbage", type=int, default=10, help="garbage connections per wave")
    parser.add_argument("--resets", type=int, default=5, help="reset connections per wave")
    parser.add_argument("--non-readers", type=int, default=2, help="non-reading clients per round")
    parser.add_argument("--nonreader-cap-mib", type=int, default=64,
                        help="a non-reader that pushes this much was never stopped (fails)")
    parser.add_argument("--rss-growth-mib", type=float, default=64, help="largest RSS growth over the baseline")
    parser.add_argument("--server-threads", type=int, default=0, help="duplex serve --threads (0: its default)")
    args = parser.parse_args()
    if not os.access(args.duplex, os.X_OK):
        sys.exit(f"FAIL: the duplex binary {args.duplex!r} does not exist or is not executable")
    return args


def main():
    args = parse_args()
    budget = args.baseline_seconds + args.seconds + 2 * (max(args.handshake_timeout, CLOSE_TIMEOUT) + args.margin
                                                         + GRACE + 10) + 60
    interop.start_watchdog(budget)
    home = tempfile.mkdtemp(prefix="duplex-soak-")
    try:
        ok = run(args, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
