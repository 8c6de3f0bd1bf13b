"""Shared helpers for the TLS interop tests: test certificates made with `openssl`, `duplex tls
serve` / `duplex tls connect` as processes, the peers (openssl s_server/s_client, gnutls-serv/cli,
curl, a Go crypto/tls client), and running inside a private network namespace for GnuTLS.

Every test is a plain script run as `/usr/bin/python3 TEST.py PATH/TO/duplex ARGS...`; exit status
0 is a pass, 77 a skip, anything else a failure.
"""

import base64
import hashlib
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from interop import log, skip, spawn, start_watchdog  # noqa: F401 - re-exported

LISTENING = re.compile(r"listening on (\[[^\]]+\]|[^\s:]+):(\d+)")

# RFC names (ours) and each peer's names for the same things.
SUITES = {
    "aes128": {"rfc": "TLS_AES_128_GCM_SHA256", "gnutls": "AES-128-GCM"},
    "aes256": {"rfc": "TLS_AES_256_GCM_SHA384", "gnutls": "AES-256-GCM"},
    "chacha": {"rfc": "TLS_CHACHA20_POLY1305_SHA256", "gnutls": "CHACHA20-POLY1305"},
}
GROUPS = {
    "x25519": {"rfc": "x25519", "openssl": "X25519", "gnutls": "GROUP-X25519", "curl": "X25519"},
    "p256": {"rfc": "secp256r1", "openssl": "P-256", "gnutls": "GROUP-SECP256R1", "curl": "P-256"},
    "p384": {"rfc": "secp384r1", "openssl": "P-384", "gnutls": "GROUP-SECP384R1", "curl": "P-384"},
}
# openssl genpkey arguments for each kind of certificate key.
KEYS = {
    "rsa": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    "ecdsa": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    "p384": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
    "ed25519": ["-algorithm", "ED25519"],
}
# The CertificateVerify scheme each key gives (what both sides should report).
SCHEMES = {"rsa": "rsa_pss_rsae_sha256", "ecdsa": "ecdsa_secp256r1_sha256", "p384": "ecdsa_secp384r1_sha384",
           "ed25519": "ed25519"}


def require(program):
    path = shutil.which(program)
    if not path:
        skip(f"{program} is not installed (scripts/install-deps.sh installs it)")
    return path


def run(args, **kwargs):
    return subprocess.run(args, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def in_private_network(argv):
    """Re-runs this script in a new network namespace with only loopback up, once: gnutls-serv
    binds every interface and cannot be told 127.0.0.1 only, so it gets a network of its own."""
    if os.environ.get("DUPLEX_NETNS") == "1":
        return
    if os.geteuid() != 0 or not shutil.which("unshare"):
        skip("GnuTLS peers run in a private network namespace, which needs root and unshare")
    env = dict(os.environ, DUPLEX_NETNS="1")
    command = "ip link set lo up && exec \"$0\" \"$@\""
    result = subprocess.run(["unshare", "-n", "sh", "-c", command, sys.executable, *argv], env=env)
    sys.exit(result.returncode)


class Pki:
    """A test CA (ECDSA P-256) and one leaf per key kind, for localhost and 127.0.0.1."""

    def __init__(self, directory):
        self.dir = directory
        self.ca_key = self._key("ca", KEYS["ecdsa"])
        self.ca = os.path.join(directory, "ca.pem")
        run(["openssl", "req", "-x509", "-new", "-key", self.ca_key, "-out", self.ca, "-days", "30",
             "-subj", "/CN=duplex interop CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        self.leaves = {}

    def _key(self, name, algorithm):
        path = os.path.join(self.dir, f"{name}.key")
        run(["openssl", "genpkey", *algorithm, "-out", path])
        return path

    def leaf(self, kind, names=("localhost",), name=None):
        """(certificate path, key path) of a leaf of `kind` for `names` (DNS) and 127.0.0.1."""
        name = name or kind
        if name in self.leaves:
            return self.leaves[name]
        key = self._key(name, KEYS[kind])
        csr = os.path.join(self.dir, f"{name}.csr")
        cert = os.path.join(self.dir, f"{name}.pem")
        run(["openssl", "req", "-new", "-key", key, "-out", csr, "-subj", f"/CN={names[0]}"])
        ext = os.path.join(self.dir, f"{name}.ext")
        with open(ext, "w") as f:
            sans = ",".join([f"DNS:{n}" for n in names] + ["IP:127.0.0.1"])
            f.write(f"subjectAltName={sans}\nbasicConstraints=critical,CA:FALSE\n"
                    "extendedKeyUsage=serverAuth,clientAuth\n")
        run(["openssl", "x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", self.ca_key, "-CAcreateserial",
             "-out", cert, "-days", "30", "-extfile", ext])
        self.leaves[name] = (cert, key)
        return cert, key


def spki_pin(cert_path):
    """base64(SHA-256(SubjectPublicKeyInfo)) of a PEM certificate."""
    pub = run(["openssl", "x509", "-in", cert_path, "-noout", "-pubkey"]).stdout
    der = run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=pub).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class Process:
    """A child whose standard output and error are drained by threads into lines."""

    def __init__(self, args, stdin=subprocess.DEVNULL, env=None):
        self.args = args
        self.process = spawn(args, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.out = bytearray()
        self.err_lines = []
        self._lock = threading.Lock()
        self._events = queue.Queue()
        self._threads = [threading.Thread(target=self._drain_out, daemon=True),
                         threading.Thread(target=self._drain_err, daemon=True)]
        for thread in self._threads:
            thread.start()

    def _drain_out(self):
        for chunk in iter(lambda: self.process.stdout.read1(65536), b""):
            with self._lock:
                self.out += chunk
            self._events.put(None)

    def _drain_err(self):
        for raw in iter(self.process.stderr.readline, b""):
            with self._lock:
                self.err_lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
            self._events.put(None)

    def stdout(self):
        with self._lock:
            return bytes(self.out)

    def stderr(self):
        with self._lock:
            return "\n".join(self.err_lines)

    def wait_for(self, predicate, timeout=10, what="output"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self):
                return
            try:
                self._events.get(timeout=0.05)
            except queue.Empty:
                pass
        raise AssertionError(f"{what} did not appear within {timeout} s from `{' '.join(self.args)}`\n"
                             f"stdout: {self.stdout()[:2000]!r}\nstderr:\n{self.stderr()}")

    def finish(self, timeout=10):
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"`{' '.join(self.args)}` did not end within {timeout} s\n"
                                 f"stderr:\n{self.stderr()}")
        for thread in self._threads:
            thread.join(timeout=2)
        return status

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class DuplexTlsServer(Process):
    """`duplex tls serve --listen 127.0.0.1:0 ...`, its port read from its first line."""

    def __init__(self, binary, args):
        super().__init__([binary, "tls", "serve", "--listen", "127.0.0.1:0", *args])
        self.wait_for(lambda p: LISTENING.search(p.stderr()), what="the 'listening on' line")
        self.port = int(LISTENING.search(self.stderr()).group(2))


def http_get(host="localhost"):
    return f"GET / HTTP/1.0\r\nHost: {host}\r\n\r\n".encode()


def talk(args, request, until, timeout=15, env=None):
    """Runs a client that reads standard input: sends `request`, waits until `until(stdout)`,
    closes standard input and waits for the end. Returns the Process (ended)."""
    client = Process(args, stdin=subprocess.PIPE, env=env)
    try:
        client.process.stdin.write(request)
        client.process.stdin.flush()
        client.wait_for(lambda p: until(p.stdout()), timeout=timeout, what="the response")
    finally:
        try:
            client.process.stdin.close()
        except OSError:
            pass
    client.finish(timeout=timeout)
    return client


def expect_field(summary, name, value):
    """`duplex tls connect`'s handshake summary has the line "*   NAME:   VALUE"."""
    pattern = re.compile(rf"^\*\s+{re.escape(name)}:\s+{re.escape(value)}$", re.MULTILINE)
    assert pattern.search(summary), f"no '{name}: {value}' in the summary:\n{summary}"


class Capture:
    """tshark recording loopback traffic to and from `port` into `path`, started and stopped on
    conditions, not sleeps: it counts as capturing once a UDP probe sent to a port of its own
    shows in its live packet list, and `finish()` waits until both FINs of the connection show
    there too (what it printed is in the file, dumpcap writing it first)."""

    def __init__(self, port, path, timeout=20):
        self.path = path
        probe = free_port()
        self.process = Process(["tshark", "-n", "-l", "-P", "-i", "lo", "-f", f"tcp port {port} or udp port {probe}",
                                "-w", path])
        deadline = time.monotonic() + timeout
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            while f"{probe} Len=" not in self.process.stdout().decode(errors="replace"):
                if time.monotonic() > deadline or self.process.process.poll() is not None:
                    self.process.stop()
                    raise AssertionError(f"tshark showed no probe within {timeout} s:\n{self.process.stderr()}")
                udp.sendto(b"probe", ("127.0.0.1", probe))
                try:
                    self.process._events.get(timeout=0.1)
                except queue.Empty:
                    pass

    def finish(self, timeout=20):
        try:
            self.process.wait_for(lambda p: len(re.findall(rb"\[FIN", p.stdout())) >= 2, timeout=timeout,
                                  what="both FINs in tshark's packet list")
        finally:
            self.process.stop()

    def read(self, *args):
        """`tshark -r` of the capture with `args`; its standard output."""
        result = subprocess.run(["tshark", "-n", "-r", self.path, *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, timeout=60)
        assert result.returncode == 0, result.stderr.decode()
        return result.stdout.decode(errors="replace")


def workdir():
    return tempfile.mkdtemp(prefix="duplex-tls-")
