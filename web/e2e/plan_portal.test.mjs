// A debtor builds a payment plan in the portal on a phone, within the
// limits, reads the terms and accepts them: the plan is active at once, with
// the acceptance recorded (debtor, portal, the browser's user agent). Then a
// collector opens the customer 360 and sees it active with its installments.
// A second debtor's plan outside the limits waits in Aprobaciones until a
// manager approves it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cartera, launch, newPage, shot, signIn } from './harness.mjs';

describe('payment plans in the portal', () => {
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
  const tokenOf = (url) => url.split('/p/')[1];

  // Owing customers whose limits allow at least `installments` installments.
  async function debtors(count, installments = 3) {
    const found = [];
    for (const customer of cartera.json('customers').filter((c) => c.open)) {
      const url = link(customer.external_id);
      const options = await (await fetch(`${cartera.url}/api/v1/portal/${tokenOf(url)}/plan-options`)).json();
      if (options.available && options.limits && options.limits.max_installments_at_min_down >= installments) {
        found.push({ customer: customer.external_id, url, options });
      }
      if (found.length === count) break;
    }
    return found;
  }

  test('a debtor builds a plan within the limits and the collector sees it active', async () => {
    const [debtor, outside] = await debtors(2);
    assert.ok(debtor && outside, 'the demo has two debtors who may pay in installments');

    const page = await newPage(browser, { viewport: 'phone' });
    await page.context().setExtraHTTPHeaders({ 'User-Agent': 'e2e-plan-phone' });
    await page.goto(debtor.url + '#plan');
    const form = page.getByTestId('plan-form');
    await form.waitFor();
    // The builder starts within the limits: the minimum down payment, the earliest first date.
    await form.getByLabel(/Número de cuotas/).selectOption('3');
    await page.getByTestId('plan-frequency-monthly').check();
    const preview = page.getByTestId('plan-preview');
    await page.locator('[data-testid="plan-preview"][data-within="true"]').waitFor();
    assert.equal(await preview.getByTestId('plan-installment').count(), 3);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling');
    const terms = await page.getByTestId('plan-terms-link').getAttribute('href');
    const pdf = await fetch(cartera.url + terms);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    await shot(page, 'portal-plan-phone');

    // Sending without ticking the terms is refused beside the box.
    await page.getByTestId('plan-submit').click();
    await page.getByText('Debe aceptar los términos para continuar.').waitFor();
    await page.getByTestId('plan-terms').check();
    await page.getByTestId('plan-submit').click();
    await page.getByTestId('plan-done').waitFor();
    assert.match(await page.getByTestId('plan-done').innerText(), /quedó activo/);
    assert.deepEqual(page.errors, []);

    const [plan] = cartera.json('plans', '--customer', debtor.customer);
    assert.equal(plan.status, 'active');
    assert.equal(plan.source, 'portal');
    assert.equal(plan.installment_count, 3);
    assert.equal(plan.acceptance.accepted_by, 'debtor');
    assert.equal(plan.acceptance.channel, 'portal');
    assert.equal(plan.acceptance.user_agent, 'e2e-plan-phone');

    // The collector's customer 360.
    const staff = await newPage(browser);
    await signIn(staff, cartera, 'collector@e2e.test');
    await staff.goto(`${cartera.url}/customers/${encodeURIComponent(debtor.customer)}`);
    const section = staff.getByTestId('customer-plans');
    const card = section.locator(`[data-plan-id="${plan.id}"]`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-status'), 'active');
    assert.match(await card.getByTestId('plan-status').innerText(), /Activo/);
    assert.equal(await card.getByTestId('plan-installment').count(), 3);
    assert.match(await card.innerText(), /armado por el deudor en el portal/);
    await section.scrollIntoViewIfNeeded();
    await shot(staff, 'customer360-plan');
    assert.deepEqual(staff.errors, []);

    // A plan outside the limits waits for a manager, who approves it in Aprobaciones.
    const max = outside.options.limits.max_installments;
    const other = await newPage(browser, { viewport: 'phone' });
    await other.goto(outside.url + '#plan');
    await other.getByTestId('plan-form').getByLabel(/Número de cuotas/).selectOption(String(max + 1));
    await other.getByTestId('plan-frequency-weekly').check();
    await other.getByTestId('plan-outside').waitFor();
    await other.getByTestId('plan-terms').check();
    await other.getByTestId('plan-submit').click();
    await other.getByTestId('plan-awaiting').waitFor();
    const [waiting] = cartera.json('plans', '--customer', outside.customer);
    assert.equal(waiting.status, 'proposed');

    const manager = await newPage(browser);
    await signIn(manager, cartera, 'manager@e2e.test');
    await manager.goto(`${cartera.url}/approvals`);
    const item = manager.locator(`[data-testid="plan-approval"][data-plan-id="${waiting.id}"]`);
    await item.waitFor();
    await shot(manager, 'approvals-plans');
    await item.getByTestId('plan-approve').click();
    await manager.getByText(`Plan ${waiting.id} aprobado: queda activo.`).waitFor();
    const [approved] = cartera.json('plans', '--customer', outside.customer);
    assert.equal(approved.status, 'active');
    assert.equal(approved.acceptance.accepted_by, 'debtor');
    assert.deepEqual(manager.errors, []);
  });
});
