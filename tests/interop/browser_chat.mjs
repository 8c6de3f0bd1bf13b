// Headless Chromium (driven by playwright-core) uses the chat page of `duplex serve`: it loads
// http://127.0.0.1:PORT/ (or, with `tls`, https:// from `duplex serve` on its development
// certificate, trusted through --ignore-certificate-errors-spki-list with the development CA's
// SPKI hash), waits for #status to say "connected", sends a unique message with the form, and
// waits for the message to come back through /chat (ws:// or wss://) into #messages. With `tls`
// the server's log must show the connection negotiated TLS 1.3; with `tls12` the server is
// `duplex serve --versions 1.2` and its log must show TLS 1.2.
// Run: node browser_chat.mjs PATH/TO/duplex [tls|tls12]   (CHROMIUM=/path overrides /usr/bin/chromium)

import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import * as interop from './interop.mjs';

const { chromium } = await interop.requirePackage('playwright-core');
const duplex = interop.duplexBinary();
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
try {
  accessSync(executablePath, constants.X_OK);
} catch {
  interop.skip(`Chromium is not installed at ${executablePath} (apt-get install chromium)`);
}
interop.startWatchdog(45);

const tls = process.argv[3] === 'tls' || process.argv[3] === 'tls12';
const version = process.argv[3] === 'tls12' ? '1.2' : '1.3';
const home = mkdtempSync(join(tmpdir(), 'duplex-home-'));
const server = await interop.startServer(duplex, version === '1.2' ? ['--versions', '1.2'] : [],
  { tls, env: { XDG_DATA_HOME: home } });
const trustArgs = [];
if (tls) {
  // `duplex ca` names the CA's SPKI hash (the server sends the CA after its own certificate).
  const ca = execFileSync(duplex, ['ca'], { env: { ...process.env, XDG_DATA_HOME: home } }).toString();
  const hash = /CA SPKI SHA-256: (\S+)/.exec(ca);
  if (!hash) throw new Error(`no CA SPKI hash in 'duplex ca' output:\n${ca}`);
  trustArgs.push(`--ignore-certificate-errors-spki-list=${hash[1]}`);
}
const origin = `${tls ? 'https' : 'http'}://127.0.0.1:${server.port}`;
const userDataDir = mkdtempSync(join(tmpdir(), 'duplex-chromium-'));
let context = null;

try {
  await interop.runChecks([
    ['chat page round trip through /chat', async () => {
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath,
        headless: true,
        timeout: 20000,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync',
          '--disable-quic', ...trustArgs],
      });
      const page = context.pages()[0] ?? await context.newPage();
      const problems = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      try {
        await page.goto(`${origin}/`, { timeout: 10000 });
        await page.locator('#status').filter({ hasText: /^connected$/ }).waitFor({ timeout: 10000 });
        const text = `hello from chromium ${randomUUID()} ✓`;
        await page.fill('#input', text);
        await page.click('#send');
        await page.locator('#messages').getByText(text, { exact: true }).waitFor({ timeout: 10000 });
        const inputAfter = await page.inputValue('#input');
        if (inputAfter !== '') throw new Error(`#input still holds '${inputAfter}' after sending`);
        if (problems.length) throw new Error(problems.join('\n'));
        if (tls && !new RegExp(`open +\\S+ /chat TLS ${version.replace('.', '\\.')} `).test(server.output())) {
          throw new Error(`the server did not log the /chat connection as TLS ${version}:\n${server.output()}`);
        }
      } catch (error) {
        const status = await page.locator('#status').textContent().catch(() => '?');
        const messages = await page.locator('#messages').textContent().catch(() => '?');
        throw new Error(`${error.message}\n#status: ${status}\n#messages: ${messages}\n${problems.join('\n')}`);
      }
    }],
  ], {
    // runChecks stops the server; close the browser first so its connection ends cleanly.
    output: server.output,
    async stop() {
      if (context) await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
      return server.stop();
    },
  });
} finally {
  rmSync(userDataDir, { recursive: true, force: true });
}
