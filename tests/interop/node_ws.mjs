// Node.js `ws` against duplex, both ways:
// - a `ws` client -> `duplex serve --plain` /echo: text, binary, a 1 MiB message, close 1000;
// - `duplex connect` -> a `ws` server on 127.0.0.1: stdin lines arrive as text, replies are
//   printed, and the server's close 1000 makes the client exit 0; --echo returns messages.
// Run: node node_ws.mjs PATH/TO/duplex

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as interop from './interop.mjs';

const { WebSocket, WebSocketServer } = await interop.requirePackage('ws');
const duplex = interop.duplexBinary();
interop.startWatchdog(30);

function open(url) {
  const ws = new WebSocket(url, { perMessageDeflate: true, maxPayload: 64 << 20 });
  // Messages are queued from the start, so none is lost between awaits.
  const queue = [];
  const waiters = [];
  ws.on('message', (data, isBinary) => {
    const message = { data: isBinary ? data : data.toString('utf8'), isBinary };
    if (waiters.length) waiters.shift()(message);
    else queue.push(message);
  });
  ws.next = () => within(queue.length ? Promise.resolve(queue.shift())
    : new Promise((resolve) => waiters.push(resolve)), 'a message');
  ws.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return within(new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  }), 'the handshake');
}

const within = (promise, what) => interop.within(promise, 5000, what);

async function roundtrip(ws, data, isBinary) {
  ws.send(data, { binary: isBinary });
  const reply = await ws.next();
  assert.equal(reply.isBinary, isBinary, `sent ${isBinary ? 'binary' : 'text'}, got the other`);
  if (isBinary) assert.ok(Buffer.compare(reply.data, data) === 0, `binary echo of ${data.length} bytes differs`);
  else assert.equal(reply.data, data);
}

const server = await interop.startServer(duplex, ['--max-message-bytes', String(16 << 20)]);
const echoUrl = `ws://127.0.0.1:${server.port}/echo`;

// A `ws` server on 127.0.0.1 port 0 running `handler(socket)` for its one connection.
async function withPeer(handler, body) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 << 20 });
  await new Promise((resolve) => wss.once('listening', resolve));
  let handlerError = null;
  const handled = new Promise((resolve) => {
    wss.once('connection', (socket) => {
      Promise.resolve(handler(socket)).catch((error) => { handlerError = error; }).finally(resolve);
    });
  });
  try {
    await body(`ws://127.0.0.1:${wss.address().port}/`, handled);
    await within(handled, 'the server handler');
    if (handlerError) throw handlerError;
  } finally {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
  }
}

function collectMessages(socket) {
  const queue = [];
  const waiters = [];
  socket.on('message', (data, isBinary) => {
    const message = { data: isBinary ? data : data.toString('utf8'), isBinary };
    if (waiters.length) waiters.shift()(message);
    else queue.push(message);
  });
  return () => within(queue.length ? Promise.resolve(queue.shift())
    : new Promise((resolve) => waiters.push(resolve)), 'a message from duplex connect');
}

function startConnect(url, args = []) {
  const child = interop.spawnChild(duplex, ['connect', url, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => { stdout += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk) => { stderr += chunk.toString('utf8'); });
  child.stdin.on('error', () => {});  // the client may exit before reading all of stdin
  return { child, stdout: () => stdout, stderr: () => stderr };
}

await interop.runChecks([
  ['ws client: text echoes', async () => {
    const ws = await open(echoUrl);
    for (const text of ['hello', '', 'ünïcödé ✓ 😀', 'x'.repeat(70000)]) await roundtrip(ws, text, false);
    ws.close(1000);
    assert.equal((await within(ws.closed, 'the close')).code, 1000);
  }],
  ['ws client: binary echoes', async () => {
    const ws = await open(echoUrl);
    for (const data of [Buffer.from([0, 1, 254, 255]), Buffer.alloc(0), randomBytes(100000)]) {
      await roundtrip(ws, data, true);
    }
    ws.close(1000);
    assert.equal((await within(ws.closed, 'the close')).code, 1000);
  }],
  ['ws client: 1 MiB message', async () => {
    const ws = await open(echoUrl);
    await roundtrip(ws, randomBytes(1 << 20), true);
    ws.close(1000);
    await within(ws.closed, 'the close');
  }],
  ['ws client: close 1000 with a reason comes back 1000', async () => {
    const ws = await open(echoUrl);
    ws.close(1000, 'done here');
    const { code } = await within(ws.closed, 'the close');
    assert.equal(code, 1000);
  }],
  ['ws client: ping is answered', async () => {
    const ws = await open(echoUrl);
    const pong = within(new Promise((resolve) => ws.once('pong', resolve)), 'the pong');
    ws.ping(Buffer.from('are you there'));
    assert.equal((await pong).toString(), 'are you there');
    ws.close(1000);
    await within(ws.closed, 'the close');
  }],
  ['duplex connect -> ws server: stdin lines, printed replies, exit 0', async () => {
    const lines = ['hello', 'ünïcödé ✓', 'third line'];
    await withPeer(async (socket) => {
      const next = collectMessages(socket);
      for (const line of lines) {
        const message = await next();
        assert.equal(message.isBinary, false);
        assert.equal(message.data, line);
        socket.send(`echo: ${message.data}`);
      }
      socket.close(1000, 'bye');
    }, async (url, handled) => {
      const client = startConnect(url);
      client.child.stdin.write(lines.map((line) => line + '\n').join(''));
      await handled;
      const status = await within(interop.exited(client.child), 'duplex connect to exit');
      assert.deepEqual(client.stdout().split('\n').filter((l) => l !== ''), lines.map((l) => `echo: ${l}`));
      assert.equal(status, 0, `exit status ${status}; stderr:\n${client.stderr()}`);
    });
  }],
  ['duplex connect --echo -> ws server: messages come back, exit 0', async () => {
    const messages = [['text ✓', false], [randomBytes(5000), true], ['y'.repeat(100000), false]];
    await withPeer(async (socket) => {
      const next = collectMessages(socket);
      for (const [data, isBinary] of messages) {
        socket.send(data, { binary: isBinary });
        const reply = await next();
        assert.equal(reply.isBinary, isBinary, 'the echo changed the message type');
        if (isBinary) assert.ok(Buffer.compare(reply.data, data) === 0, 'binary echo differs');
        else assert.equal(reply.data, data);
      }
      socket.close(1000);
    }, async (url, handled) => {
      const client = startConnect(url, ['--echo']);
      await handled;
      const status = await within(interop.exited(client.child), 'duplex connect --echo to exit');
      assert.equal(status, 0, `exit status ${status}; stderr:\n${client.stderr()}`);
    });
  }],
], server);
