// A collector's and a manager's day in the browser: the customer 360 and
// its statement PDF, a call outcome with a promise from the worklist that
// shows in the timeline, and what a viewer may not do.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Cartera, launch, newPage, shot, signIn } from './harness.mjs';

describe('collection work in the web app', () => {
  let cartera;
  let browser;
  before(async () => {
    cartera = await new Cartera().start();
    // The day's run writes the calls the worklist shows.
    cartera.cli('run');
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await cartera?.stop();
  });

  test('a customer 360 shows the balance and downloads the statement PDF', async () => {
    const top = cartera.json('aging').customers.sort((a, b) => Number(b.balance.amount) - Number(a.balance.amount))[0];
    const page = await newPage(browser);
    await signIn(page, cartera, 'manager@e2e.test');
    await page.getByRole('link', { name: 'Clientes' }).click();
    await page.getByTestId('customer-row').first().waitFor();
    await shot(page, 'customers-desktop');
    // Search by a piece of the name: the customer is found, the URL keeps it.
    const piece = top.customer.name.split(' ')[0];
    await page.getByTestId('customer-search').fill(piece);
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.waitForURL(/[?&]q=/);
    await page.getByTestId('customer-row').filter({ hasText: top.customer.external_id }).waitFor();
    for (const row of await page.getByTestId('customer-row').allInnerTexts()) {
      assert.match(row.toLowerCase(), new RegExp(piece.toLowerCase()), 'every row matches the search');
    }
    await page.goto(`${cartera.url}/customers/${encodeURIComponent(top.customer.external_id)}`);
    await page.getByTestId('customer-name').waitFor();
    assert.equal((await page.getByTestId('customer-name').innerText()).trim(), top.customer.name);
    await page.getByTestId('timeline').waitFor();
    const balance = await page.getByTestId(`balance-${top.balance.currency}`).innerText();
    assert.ok(balance.replace(/\D/g, '').startsWith(top.balance.amount.split('.')[0].replace(/\D/g, '')), balance);
    await shot(page, 'customer-360-desktop');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('statement-pdf').click()]);
    assert.equal(readFileSync(await download.path()).subarray(0, 5).toString(), '%PDF-');
    assert.match(download.suggestedFilename(), /\.pdf$/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a collector records a promise from the worklist on a phone and sees it in the timeline', async () => {
    const page = await newPage(browser, { viewport: 'phone' });
    await signIn(page, cartera, 'collector@e2e.test');
    await page.goto(`${cartera.url}/worklist`);
    const call = page.getByTestId('current-call');
    await call.waitFor();
    const customer = (await call.getByRole('link').filter({ hasText: /^CLI-/ }).first().innerText()).trim();
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling');
    await shot(page, 'worklist-phone');
    await page.getByTestId('outcome-promise').click();
    const form = page.getByTestId('promise-form');
    await form.locator('input[name="promise_date"]').fill('2026-11-27');
    await form.locator('input[name="promise_amount"]').fill('150.000');
    await form.locator('button[type="submit"]').click();
    await page.getByTestId('recorded').waitFor();
    await shot(page, 'worklist-phone-recorded');
    const promises = cartera.json('promise', 'list');
    const rows = promises.data ?? promises;
    assert.ok(rows.some((p) => p.customer_external_id === customer && p.amount.amount === '150000.00' && p.promised_date === '2026-11-27'),
      `the promise of ${customer} is in the ledger: ${JSON.stringify(rows.slice(0, 3))}`);
    await page.goto(`${cartera.url}/customers/${encodeURIComponent(customer)}`);
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="timeline"]')?.textContent?.includes('150.000'));
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling');
    await shot(page, 'customer-360-phone');
    await page.context().close();
  });

  test('a viewer sees the work but no button that changes anything', async () => {
    const page = await newPage(browser);
    await signIn(page, cartera, 'viewer@e2e.test');
    const customer = cartera.json('aging').customers[0].customer.external_id;
    await page.goto(`${cartera.url}/customers/${encodeURIComponent(customer)}`);
    await page.getByTestId('timeline').waitFor();
    for (const action of ['action-note', 'action-promise', 'open-dispute', 'statement-send', 'collector-form']) {
      assert.equal(await page.getByTestId(action).count(), 0, `${action} is hidden from a viewer`);
    }
    assert.equal(await page.locator('[data-testid^="consent-"] button').count(), 0, 'consent is read-only');
    await shot(page, 'customer-360-viewer');
    await page.goto(`${cartera.url}/worklist`);
    await page.getByTestId('worklist-count').waitFor();
    assert.equal(await page.locator('[data-testid^="outcome-"]').count(), 0, 'no outcome buttons');
    await page.goto(`${cartera.url}/strategy`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Guardar|Save/ }).count(), 0, 'no save on the strategy');
    assert.equal(await page.getByRole('link', { name: 'Importar' }).count(), 0, 'no import for a viewer');
    await page.context().close();
  });
});
