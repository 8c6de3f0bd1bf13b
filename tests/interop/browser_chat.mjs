// Headless Chromium (driven by playwright-core) uses the chat page of `duplex serve --plain`:
// it loads http://127.0.0.1:PORT/, waits for #status to say "connected", sends a unique message
// with the form, and waits for the message to come back through /chat into #messages.
// Run: node browser_chat.mjs PATH/TO/duplex   (CHROMIUM=/path overrides /usr/bin/chromium)

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

const server = await interop.startServer(duplex);
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
          '--disable-quic'],
      });
      const page = context.pages()[0] ?? await context.newPage();
      const problems = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      try {
        await page.goto(`http://127.0.0.1:${server.port}/`, { timeout: 10000 });
        await page.locator('#status').filter({ hasText: /^connected$/ }).waitFor({ timeout: 10000 });
        const text = `hello from chromium ${randomUUID()} ✓`;
        await page.fill('#input', text);
        await page.click('#send');
        await page.locator('#messages').getByText(text, { exact: true }).waitFor({ timeout: 10000 });
        const inputAfter = await page.inputValue('#input');
        if (inputAfter !== '') throw new Error(`#input still holds '${inputAfter}' after sending`);
        if (problems.length) throw new Error(problems.join('\n'));
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
      return server.stop();
    },
  });
} finally {
  rmSync(userDataDir, { recursive: true, force: true });
}
