// The debtor portal on a phone: open the link `cartera portal link` prints,
// promise to pay and dispute an invoice, then `cartera run` holds the
// promised messages and skips the disputed invoice. axe-core finds no
// critical violation on the portal's pages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Cartera, launch, newPage, shot } from './harness.mjs';

const require = createRequire(import.meta.url);

async function criticalViolations(page) {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const result = await page.evaluate(() => window.axe.run());
  return result.violations.filter((v) => v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('debtor portal', () => {
  let cartera;
  let browser;
  before(async () => {
    cartera = await new Cartera().start();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await cartera?.stop();
  });

  const link = (customer) => cartera.cli('-q', 'portal', 'link', customer).trim().replace(/^https?:\/\/[^/]+/, cartera.url);
  const planned = (...flags) => cartera.json('run', ...flags).plan.filter((item) => item.action === 'message');

  // Customers the run writes to today about exactly one invoice, with that
  // invoice as their only open one (so "skips the invoice" is visible).
  async function singleInvoiceDebtors() {
    const found = [];
    for (const item of planned('--dry-run')) {
      if (item.invoices !== 1 || found.includes(item.customer_external_id)) continue;
      const token = link(item.customer_external_id).split('/p/')[1];
      const overview = await (await fetch(`${cartera.url}/api/v1/portal/${token}`)).json();
      if (overview.invoices.length === 1 && overview.promise_limits) found.push(item.customer_external_id);
      if (found.length === 2) break;
    }
    return found;
  }

  test('a debtor promises and disputes on a phone; the run honours both', async () => {
    const [promiser, disputer] = await singleInvoiceDebtors();
    assert.ok(promiser && disputer, 'the demo has two single-invoice debtors written to today');

    const page = await newPage(browser, { viewport: 'phone' });
    await page.context().setExtraHTTPHeaders({ 'User-Agent': 'e2e-phone' });
    await page.goto(link(promiser));
    await page.getByTestId('portal-owed').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling');
    await shot(page, 'portal-phone');
    const limits = await page.evaluate(async () => (await (await fetch(`/api/v1/portal/${location.pathname.split('/p/')[1]}`)).json()).promise_limits);
    const form = page.getByTestId('promise-form');
    await form.getByLabel(/Fecha de pago/).fill(limits.earliest_date);
    // The whole balance, typed the way a Colombian reads it.
    const whole = limits.max_amount.amount.split('.')[0];
    await form.getByLabel(/Valor/).fill(Number(whole).toLocaleString('es-CO'));
    await form.getByRole('button', { name: /Prometer el pago/ }).click();
    await page.getByTestId('promise-done').waitFor();
    await shot(page, 'portal-phone-promised');

    await page.goto(link(disputer));
    await page.getByTestId('portal-owed').waitFor();
    const dispute = page.getByTestId('dispute-form');
    await dispute.getByLabel('Factura').selectOption({ index: 1 });
    await dispute.getByLabel('Motivo').selectOption('wrong_amount');
    await dispute.getByLabel(/Cuéntenos/).fill('El valor no coincide con la orden de compra.');
    await dispute.getByRole('button', { name: /Enviar el reclamo/ }).click();
    await page.getByTestId('dispute-done').waitFor();
    await shot(page, 'portal-phone-disputed');
    assert.deepEqual(page.errors, []);
    await page.context().close();

    // The day's real run, after the debtor acted: the outbox gets nothing for either.
    const run = cartera.json('run');
    assert.ok(run.added > 0, 'the run wrote the day for others');
    for (const customer of [promiser, disputer]) {
      const items = cartera.json('outbox', '--customer', customer);
      const messages = (items.data ?? items).filter((item) => item.action === 'message');
      assert.deepEqual(messages, [], `${customer}: promised or disputed, no message today`);
    }
    const explained = cartera.cli('explain', promiser, '--lang', 'en');
    assert.match(explained, /promise/i);
    // The debtor's own changes (the run audits many other things after them).
    const rows = ['promise', 'dispute'].flatMap((entity) => {
      const audit = cartera.json('audit', '--entity', entity, '--limit', '20');
      return audit.data ?? audit;
    });
    assert.ok(rows.some((row) => row.actor === 'portal' && /ua=e2e-phone/.test(row.source ?? '')), 'the action is audited with its user agent');
  });

  test('portal pages have no critical accessibility violation, in both languages', async () => {
    const page = await newPage(browser, { viewport: 'phone' });
    await page.context().close();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    const axePage = await context.newPage();
    const customer = cartera.json('aging').customers[0].customer.external_id;
    await axePage.goto(link(customer));
    await axePage.getByTestId('portal-owed').waitFor();
    assert.deepEqual(await criticalViolations(axePage), []);
    await axePage.getByTestId('portal-lang').click();
    await axePage.locator('h1').filter({ hasText: /Hello|Hi/ }).first().waitFor().catch(() => {});
    assert.equal(await axePage.evaluate(() => document.documentElement.lang), 'en');
    await shot(axePage, 'portal-phone-en');
    assert.deepEqual(await criticalViolations(axePage), []);
    await axePage.goto(`${cartera.url}/p/not.a-token`);
    await axePage.getByTestId('portal-invalid').waitFor();
    assert.deepEqual(await criticalViolations(axePage), []);
    await context.close();
  });

  test('the statement downloads as a PDF from the portal', async () => {
    const page = await newPage(browser, { viewport: 'phone' });
    await page.goto(link(cartera.json('aging').customers[0].customer.external_id));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('portal-statement').click()]);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    assert.equal(readFileSync(path).subarray(0, 5).toString(), '%PDF-');
    await page.context().close();
  });
});
