// The web numbers of issue 16, measured (not a test): writes
// bench/results/web-latest.md.
//
//   node bench/web.mjs [--db PATH] [--customers N] [--runs R]
//
//   --db PATH       a demo database (default /tmp/cartera-api-bench-N.db, built
//                   once with `cartera demo --customers N` as bench/api.sh does)
//   --customers N   the demo's size when it must be built (default 1,000,000)
//   --runs R        page loads per measurement (default 5; the median is reported)
//
// 1. Bundle sizes, gzipped: the portal's page (HTML, JS, CSS) and the web app's
//    dashboard route (what loads before the dashboard shows).
// 2. The portal's first page until it is interactive (the promise button
//    enabled), cache empty, under Chromium's network throttling with four
//    profiles: DevTools "Slow 3G" (2 s latency, 400 kbit/s), WebPageTest "3G
//    Slow" (400 ms RTT, 400 kbit/s), DevTools "Fast 3G" (562 ms, 1.44 Mbit/s)
//    and Lighthouse's mobile profile (150 ms, 1.6 Mbit/s). The page needs at
//    least three round trips (connection, the page, its script and the
//    debtor's data preloaded in parallel), so no 3G profile's latency allows
//    < 1 s: the numbers say how far each is.
// 3. The dashboard and a customer 360 on localhost (no throttling), signed in,
//    from navigation until their figures are on screen.
// Environment: CARTERA_BIN (default build/src/cli/cartera), CARTERA_WEB_ROOT
// (default build/web).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const require = createRequire(here('../web/package.json'));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const customers = Number(option('--customers', '1000000'));
const runs = Number(option('--runs', '5'));
const db = option('--db', `${process.env.BENCH_TMP || '/tmp'}/cartera-api-bench-${customers}.db`);
const cartera = process.env.CARTERA_BIN || here('../build/src/cli/cartera');
const webRoot = process.env.CARTERA_WEB_ROOT || here('../build/web');
const env = { ...process.env, CARTERA_NOW: '2026-11-20T13:00:00Z', CARTERA_SECRET_KEY: process.env.CARTERA_SECRET_KEY || '33'.repeat(32), PW: 'bench-password-2026' };
const say = (text) => process.stderr.write(`bench: ${text}\n`);
const cli = (...a) => execFileSync(cartera, ['--db', db, ...a], { env, encoding: 'utf8', maxBuffer: 256 << 20 });
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// 1. Sizes.
function entryAssets(html) {
  const page = readFileSync(`${webRoot}/${html}`, 'utf8');
  const refs = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  return [html, ...new Set(refs)];
}
function gzipped(files) {
  return files.reduce((sum, file) => sum + gzipSync(readFileSync(`${webRoot}/${file.replace(/^\//, '')}`), { level: 9 }).length, 0);
}
const portalFiles = entryAssets('portal.html');
const appFiles = entryAssets('index.html');
const sizes = { portal: gzipped(portalFiles), dashboard: gzipped(appFiles) };
say(`portal ${(sizes.portal / 1024).toFixed(1)} KB, dashboard route ${(sizes.dashboard / 1024).toFixed(1)} KB gzipped`);

// The database and a user to sign in with.
if (!existsSync(db)) {
  say(`building the demo of ${customers} customers in ${db} (once)`);
  execFileSync(cartera, ['-q', '--db', db, 'demo', '--customers', String(customers), '--seed', '7', '--as-of', '2026-11-20'], { env, stdio: 'inherit' });
}
if (!cli('user', 'list', '--format', 'json').includes('bench@cartera.test')) {
  cli('-q', 'user', 'add', 'bench@cartera.test', '--role', 'admin', '--password-env', 'PW');
}
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const url = `http://127.0.0.1:${port}`;
const server = spawn(cartera, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`, '--no-scheduler', '--no-delivery', '--rate-limit', '0', '--web-root', webRoot], { env, stdio: 'ignore' });
try {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const topDebtor = JSON.parse(cli('customers', '--sort', 'balance', '--limit', '1', '--format', 'json'));
  const debtor = (topDebtor.data ?? topDebtor)[0].external_id;
  const portalLink = cli('-q', 'portal', 'link', debtor).trim().replace(/^https?:\/\/[^/]+/, url);

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

  // 2. The portal under throttling.
  const profiles = [
    { name: 'DevTools "Slow 3G" (2,000 ms latency, 400 kbit/s down and up)', latency: 2000, down: 50000, up: 50000 },
    { name: 'WebPageTest "3G Slow" (400 ms RTT, 400 kbit/s down and up)', latency: 400, down: 50000, up: 50000 },
    { name: 'DevTools "Fast 3G" (562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up)', latency: 562.5, down: 180000, up: 84375 },
    { name: 'Lighthouse mobile, "Slow 4G" (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up)', latency: 150, down: 200000, up: 93750 },
  ];
  const portal = [];
  for (const profile of profiles) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: profile.latency, downloadThroughput: profile.down, uploadThroughput: profile.up });
      const started = Date.now();
      await page.goto(portalLink, { waitUntil: 'commit' });
      await page.getByTestId('promise-form').locator('button[type="submit"]').waitFor({ state: 'visible', timeout: 60000 });
      times.push(Date.now() - started);
      await context.close();
    }
    portal.push({ ...profile, ms: median(times), all: times });
    say(`portal, ${profile.name}: ${median(times)} ms`);
  }

  // 3. Dashboard and customer 360, signed in, on localhost.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const signIn = await page.request.post(`${url}/api/v1/session`, { data: { email: 'bench@cartera.test', password: env.PW } });
  if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()}`);
  await page.goto(`${url}/`);
  await page.locator('[data-testid^="total-"]').first().waitFor({ timeout: 60000 });
  const measure = async (path, ready) => {
    const times = [];
    for (let i = 0; i < runs; i++) {
      await page.goto('about:blank');
      const started = Date.now();
      await page.goto(`${url}${path}`);
      // A selector to see, or [selector, 'attached'] for one that may be empty.
      for (const want of ready) {
        const [selector, state] = Array.isArray(want) ? want : [want, 'visible'];
        await page.locator(selector).first().waitFor({ state, timeout: 60000 });
      }
      times.push(Date.now() - started);
      // Let the page finish what it asks for after it shows (the 360's "why
      // today"), so the next load does not share the server with it.
      await page.waitForLoadState('networkidle', { timeout: 60000 });
    }
    return { ms: median(times), all: times };
  };
  const dashboard = await measure('/', ['[data-testid^="total-"]', '[data-testid="plan"], .dashboard h2']);
  const customer360 = await measure(`/customers/${encodeURIComponent(debtor)}`, ['[data-testid="customer-name"]', '[data-testid="invoice-row"]', ['[data-testid="timeline"][aria-busy="false"]', 'attached']]);
  say(`dashboard ${dashboard.ms} ms, customer 360 ${customer360.ms} ms`);
  await browser.close();

  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  const lines = [
    '# Web numbers (bench/web.mjs)',
    '',
    `Measured ${new Date().toISOString()} on this machine (database ${db}; median of ${runs} loads).`,
    '',
    '| what | target | measured |',
    '|---|---|---|',
    `| Portal JS + CSS + HTML, gzipped | ≤ 100 KB | ${kb(sizes.portal)} |`,
    `| Web app dashboard route JS + CSS + HTML, gzipped | ≤ 350 KB | ${kb(sizes.dashboard)} |`,
    ...portal.map((p) => `| Portal interactive, ${p.name}, cache empty | < 1 s | ${p.ms} ms |`),
    `| Dashboard rendered, localhost | < 1 s | ${dashboard.ms} ms |`,
    `| Customer 360 rendered (top debtor ${debtor}), localhost | < 1 s | ${customer360.ms} ms |`,
    '',
    'Portal files: ' + portalFiles.join(', '),
    '',
    'Dashboard files: ' + appFiles.join(', '),
    '',
    'All loads (ms): ' + JSON.stringify({ portal: portal.map((p) => p.all), dashboard: dashboard.all, customer360: customer360.all }),
    '',
  ];
  mkdirSync(here('results'), { recursive: true });
  writeFileSync(here('results/web-latest.md'), lines.join('\n'));
  say('wrote bench/results/web-latest.md');
} finally {
  server.kill('SIGTERM');
}
