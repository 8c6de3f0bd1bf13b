// Headless Chromium (driven by playwright-core) against examples/auth_server.cpp: the upgrade
// hook's Set-Cookie in the 101 is stored by the browser and sent back on its next WebSocket.
// From a page on another port of 127.0.0.1 (the same site, so the SameSite=Strict cookie goes):
//   1. a WebSocket without the token is refused (the 401 reaches the page as a failed open);
//   2. one with ?token= opens and echoes, and Chromium now holds the HttpOnly session cookie;
//   3. one without the token opens and echoes: the only thing that got it past the hook is the
//      cookie the browser carried back.
// Run: node browser_cookie.mjs PATH/TO/example_auth_server   (CHROMIUM=/path overrides /usr/bin/chromium)

import { createServer } from 'node:http';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import * as interop from './interop.mjs';

const { chromium } = await interop.requirePackage('playwright-core');
const authServer = interop.duplexBinary();
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
try {
  accessSync(executablePath, constants.X_OK);
} catch {
  interop.skip(`Chromium is not installed at ${executablePath} (apt-get install chromium)`);
}
interop.startWatchdog(45);

const token = `t-${randomUUID()}`;
const child = interop.spawnChild(authServer, ['0', token], { stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
const port = await interop.within(new Promise((resolve, reject) => {
  const scan = (chunk) => {
    output += chunk.toString('utf8');
    const match = /auth server on port (\d+)/.exec(output);
    if (match) resolve(Number(match[1]));
  };
  child.stdout.on('data', scan);
  child.stderr.on('data', scan);
  child.once('error', reject);
  child.once('exit', (code) => reject(new Error(`the auth server exited with ${code}:\n${output}`)));
}), 10000, "'auth server on port N' from the example");

// The page the WebSockets are opened from: an empty document on another port of the same host.
const pageServer = createServer((request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  response.end('<!doctype html><title>cookie test</title>');
});
await new Promise((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${pageServer.address().port}`;
const echo = `ws://127.0.0.1:${port}/echo`;

const userDataDir = mkdtempSync(join(tmpdir(), 'duplex-chromium-'));
let context = null;
let page = null;

// In the page: opens `url`, sends `text` once open, resolves with what happened (never rejects).
async function tryWebSocket(url, text) {
  return page.evaluate(({ url, text }) => new Promise((resolve) => {
    const ws = new WebSocket(url);
    let opened = false;
    const timer = setTimeout(() => resolve({ opened, echoed: null, code: 'timeout' }), 8000);
    ws.onopen = () => { opened = true; ws.send(text); };
    ws.onmessage = (event) => { clearTimeout(timer); resolve({ opened, echoed: event.data, code: null }); ws.close(); };
    ws.onclose = (event) => { clearTimeout(timer); resolve({ opened, echoed: null, code: event.code }); };
  }), { url, text });
}

try {
  await interop.runChecks([
    ['Chromium starts and loads a page on 127.0.0.1', async () => {
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath,
        headless: true,
        timeout: 20000,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync',
          '--disable-quic'],
      });
      page = context.pages()[0] ?? await context.newPage();
      await page.goto(`${origin}/`, { timeout: 10000 });
    }],
    ['without the token or a cookie, the upgrade is refused', async () => {
      const result = await tryWebSocket(echo, 'no credentials');
      if (result.opened || result.code !== 1006) throw new Error(`expected a refused open (1006), got ${JSON.stringify(result)}`);
    }],
    ['with ?token=, it opens and the 101 sets the session cookie', async () => {
      const text = `by token ${randomUUID()}`;
      const result = await tryWebSocket(`${echo}?token=${encodeURIComponent(token)}`, text);
      if (result.echoed !== text) throw new Error(`expected the echo of '${text}', got ${JSON.stringify(result)}`);
      const cookies = await context.cookies(`http://127.0.0.1:${port}/echo`);
      const session = cookies.find((cookie) => cookie.name === 'session');
      if (!session || session.value !== token || !session.httpOnly || session.sameSite !== 'Strict') {
        throw new Error(`Chromium did not keep the hook's Set-Cookie as sent: ${JSON.stringify(cookies)}`);
      }
    }],
    ['the next WebSocket carries the cookie back and the hook accepts it', async () => {
      const text = `by cookie ${randomUUID()}`;
      const result = await tryWebSocket(echo, text);
      if (result.echoed !== text) throw new Error(`expected the echo of '${text}', got ${JSON.stringify(result)}`);
    }],
  ], {
    output: () => output,
    async stop() {
      if (context) await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
      await new Promise((resolve) => pageServer.close(resolve));
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await interop.exited(child);
        clearTimeout(timer);
      }
      return child.exitCode ?? child.signalCode;
    },
  });
} finally {
  rmSync(userDataDir, { recursive: true, force: true });
}
