// Node.js `ws` over wss:// to `duplex serve` (TLS by default): the development CA, made on the
// server's first run in a fresh XDG_DATA_HOME, is the client's only trust anchor. Text, binary and a
// 1 MiB message come back through /echo; the server logs the connection as TLS 1.3. With `tls12`
// the client's maxVersion is 'TLSv1.2' (the server offers both): TLS 1.2 on both sides.
// Run: node node_wss.mjs PATH/TO/duplex [tls12]

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as interop from './interop.mjs';

const { WebSocket } = await interop.requirePackage('ws');
const duplex = interop.duplexBinary();
interop.startWatchdog(30);

const home = mkdtempSync(join(tmpdir(), 'duplex-wss-'));
const tls12 = process.argv[3] === 'tls12';
const [protocol, logged] = tls12 ? ['TLSv1.2', 'TLS 1.2'] : ['TLSv1.3', 'TLS 1.3'];
const server = await interop.startServer(duplex, [], { tls: true, env: { XDG_DATA_HOME: home } });
const ca = readFileSync(join(home, 'duplex', 'ca.pem'));

function open(url) {
  const versions = tls12 ? { maxVersion: 'TLSv1.2' } : { minVersion: 'TLSv1.3' };
  const ws = new WebSocket(url, { ca, ...versions, maxPayload: 64 << 20 });
  const queue = [];
  const waiters = [];
  ws.on('message', (data, isBinary) => {
    const message = { data: isBinary ? data : data.toString('utf8'), isBinary };
    if (waiters.length) waiters.shift()(message);
    else queue.push(message);
  });
  ws.next = () => interop.within(queue.length ? Promise.resolve(queue.shift())
    : new Promise((resolve) => waiters.push(resolve)), 5000, 'a message');
  ws.closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  return interop.within(new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  }), 5000, 'the wss:// handshake');
}

try {
  await interop.runChecks([
    ['echo over wss:// trusting only the development CA', async () => {
      for (const host of ['localhost', '127.0.0.1']) {
        const ws = await open(`wss://${host}:${server.port}/echo`);
        assert.equal(ws._socket.getProtocol(), protocol);
        ws.send('hello over TLS');
        assert.deepEqual(await ws.next(), { data: 'hello over TLS', isBinary: false });
        const big = randomBytes(1 << 20);
        ws.send(big, { binary: true });
        const reply = await ws.next();
        assert.ok(reply.isBinary && Buffer.compare(reply.data, big) === 0, 'the 1 MiB echo differs');
        ws.close(1000);
        assert.equal(await ws.closed, 1000);
      }
      // One line per connection, both naming the version (waited for: the log is a pipe).
      const opened = () => server.output().split('\n').filter((line) => line.startsWith('open  '));
      for (const deadline = Date.now() + 5000; opened().length < 2 && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      if (opened().length !== 2 || !opened().every((line) => line.includes(` ${logged} `))) {
        throw new Error(`not two '${logged}' connections in the server's log:\n${server.output()}`);
      }
    }],
    ['a client that does not trust the CA is refused', async () => {
      const ws = new WebSocket(`wss://localhost:${server.port}/echo`, { ca: [] });
      const error = await interop.within(new Promise((resolve) => ws.once('error', resolve)), 5000, 'the refusal');
      assert.match(String(error.code ?? error.message), /SELF_SIGNED|UNABLE_TO|CERT/);
    }],
  ], {
    // runChecks ends the process, so the development CA's directory goes when the server does.
    output: server.output,
    async stop() {
      const status = await server.stop();
      rmSync(home, { recursive: true, force: true });
      return status;
    },
  });
} finally {
  rmSync(home, { recursive: true, force: true });
}
