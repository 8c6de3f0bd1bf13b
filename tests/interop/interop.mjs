// Shared helpers for the Node.js interop tests: skipping, a watchdog, starting `duplex serve`.
// Each test runs as `node TEST.mjs PATH/TO/duplex`; exit 0 is a pass, 77 a skip, else a failure.
// The npm packages come from tests/node_modules (`cd tests && npm ci`).

import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

export const SKIP = 77;
const LISTENING = /listening on wss?:\/\/(\[[^\]]+\]|[^\s/:]+):(\d+)/;
const children = [];

export function log(message) {
  process.stderr.write(message + '\n');
}

// In CI (CI=true, what .ci/run sets) or with DUPLEX_REQUIRE_PEERS=1, a missing peer fails.
export function peersRequired() {
  return (process.env.CI || '').toLowerCase() === 'true' || process.env.DUPLEX_REQUIRE_PEERS === '1';
}

// Skips (exit 77) locally; fails when peers are required, so coverage cannot vanish in CI.
export function skip(reason) {
  if (peersRequired()) {
    console.log(`FAIL: ${reason} (a missing peer fails the run when CI=true or DUPLEX_REQUIRE_PEERS=1)`);
    process.exit(1);
  }
  console.log(`SKIP: ${reason}`);
  process.exit(SKIP);
}

// `import(name)`, or a skip naming the npm package to install.
export async function requirePackage(name) {
  try {
    return await import(name);
  } catch (error) {
    if (error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND') {
      skip(`the npm package '${name}' is not installed (run: cd tests && npm ci)`);
    }
    throw error;
  }
}

export function duplexBinary() {
  const path = process.argv[2] || process.env.DUPLEX_BIN;
  if (!path) {
    console.error('usage: node TEST.mjs PATH/TO/duplex (or DUPLEX_BIN=...)');
    process.exit(2);
  }
  try {
    accessSync(path, constants.X_OK);
  } catch {
    console.error(`FAIL: the duplex binary '${path}' does not exist or is not executable`);
    process.exit(1);
  }
  return path;
}

export function killChildren() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

// Ends the test (and what it started) after `seconds`, whatever it is waiting for.
export function startWatchdog(seconds = 30) {
  const timer = setTimeout(() => {
    log(`FAIL: the test did not finish within ${seconds} s`);
    killChildren();
    process.exit(1);
  }, seconds * 1000);
  timer.unref();
}

export function spawnChild(command, args, options = {}) {
  const child = spawn(command, args, options);
  children.push(child);
  return child;
}

// Resolves with the child's exit code (or its signal name) once it has exited.
export function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.exitCode ?? child.signalCode);
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
}

// Rejects after `ms` with a message naming what was awaited.
export function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// `duplex serve --plain --listen 127.0.0.1:0 ...`; resolves once its startup line named the port.
// `tls`: HTTPS/wss:// (no --plain); `env` adds to the environment (XDG_DATA_HOME...).
export async function startServer(binary, extraArgs = [], { tls = false, env = {} } = {}) {
  const args = ['serve', ...(tls ? [] : ['--plain']), '--listen', '127.0.0.1:0', ...extraArgs];
  const child = spawnChild(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  const port = await within(new Promise((resolve, reject) => {
    const scan = (chunk) => {
      output += chunk.toString('utf8');
      const match = LISTENING.exec(output);
      if (match) resolve(Number(match[2]));
    };
    child.stdout.on('data', scan);
    child.stderr.on('data', scan);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`duplex serve exited with ${code}:\n${output}`)));
  }), 10000, `'listening on ws://HOST:PORT' from duplex ${args.join(' ')}`);
  return {
    port,
    output: () => output,
    // SIGTERM, then SIGKILL after 5 s; resolves with the exit code (or the signal's name).
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited(child);
        clearTimeout(timer);
      }
      return child.exitCode ?? child.signalCode;
    },
  };
}

// Runs each [name, async function] in order, reporting each; exits 1 if any failed.
export async function runChecks(checks, server = null) {
  const failed = [];
  for (const [name, check] of checks) {
    const started = Date.now();
    try {
      await check();
      log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(2)} s)`);
    } catch (error) {
      failed.push(name);
      log(`FAIL ${name}: ${error && error.stack ? error.stack : error}`);
    }
  }
  if (server) {
    // Last: the server survived everything above and shuts down cleanly (a sanitizer report
    // would make its status non-zero).
    const status = await server.stop();
    if (status !== 0) {
      failed.push('the server exits 0 on SIGTERM');
      log(`FAIL the server exits 0 on SIGTERM: duplex serve exited with ${status}`);
    }
  }
  if (failed.length) {
    if (server) log(`--- duplex serve output ---\n${server.output()}\n---`);
    log(`${failed.length} of ${checks.length} checks failed: ${failed.join(', ')}`);
    killChildren();
    process.exit(1);
  }
  log(`all ${checks.length} checks passed`);
  killChildren();
  process.exit(0);
}
