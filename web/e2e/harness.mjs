// End-to-end harness: a real `cartera serve` over a fresh demo database
// (SQLite) serving the built web app, and Debian's Chromium driven by
// playwright-core. Screenshots go to build/e2e/ (desktop and phone sizes).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
export const CARTERA = process.env.CARTERA_BIN || here('../../build/src/cli/cartera');
export const WEB_ROOT = process.env.CARTERA_WEB_ROOT || here('../../build/web');
export const SHOTS = process.env.CARTERA_E2E_SHOTS || here('../../build/e2e');
export const NOW = '2026-11-20T15:00:00Z';
export const PASSWORD = 'e2e-password-2026';

export const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export class Cartera {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'cartera-e2e-'));
    this.db = join(this.dir, 'cartera.db');
    this.env = { ...process.env, CARTERA_NOW: NOW, CARTERA_SECRET_KEY: '22'.repeat(32), LANG: 'C.UTF-8', CARTERA_WEB_ROOT: WEB_ROOT, PW: PASSWORD };
    delete this.env.CARTERA_TENANT;
  }

  cli(...args) {
    return execFileSync(CARTERA, ['--db', this.db, ...args], { env: this.env, encoding: 'utf8', maxBuffer: 64 << 20 });
  }

  json(...args) {
    return JSON.parse(this.cli(...args, '--format', 'json'));
  }

  // The demo portfolio, a user per role, and a second tenant with its admin.
  async start({ customers = 120 } = {}) {
    this.cli('demo', '--customers', String(customers), '--seed', '7', '--as-of', NOW.slice(0, 10));
    for (const role of ['admin', 'manager', 'collector', 'viewer']) {
      this.cli('-q', 'user', 'add', `${role}@e2e.test`, '--role', role, '--name', `E2E ${role}`, '--password-env', 'PW');
    }
    this.cli('tenant', 'create', 'Beta', '--country', 'CO', '--currency', 'COP', '--time-zone', 'America/Bogota');
    this.cli('--tenant', 'beta', '-q', 'user', 'add', 'admin@beta.test', '--role', 'admin', '--password-env', 'PW');
    this.port = await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    this.process = spawn(CARTERA, ['--db', this.db, 'serve', '--listen', `127.0.0.1:${this.port}`, '--no-delivery', '--no-scheduler'], {
      env: this.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.log = '';
    this.process.stderr.on('data', (chunk) => (this.log += chunk));
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      try {
        const answer = await fetch(`${this.url}/healthz`);
        if (answer.ok) return this;
      } catch {
        /* not yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`cartera serve did not start: ${this.log}`);
  }

  async stop() {
    if (this.process && this.process.exitCode === null) {
      this.process.kill('SIGTERM');
      await new Promise((r) => this.process.once('exit', r));
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A page in its own context (its own cookies), failing the test on any
// uncaught page error.
export async function newPage(browser, { viewport = 'desktop', locale = 'es-CO' } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORTS[viewport], locale, acceptDownloads: true });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error));
  return page;
}

export async function signIn(page, cartera, email) {
  await page.goto(cartera.url + '/');
  await page.getByLabel(/Correo electrónico|E-mail/).fill(email);
  await page.getByLabel(/^(Contraseña|Password)$/).fill(PASSWORD);
  await page.getByRole('button', { name: /^(Entrar|Sign in)$/ }).click();
  await page.getByRole('navigation').waitFor();
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
