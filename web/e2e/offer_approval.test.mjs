// Offers within approval limits (docs/offers.md), end to end: a collector
// offers a 10 % early-payment discount in the customer's 360 page (above a
// collector's 5 %: it waits), a manager approves it in the approval queue,
// and the debtor sees it in the portal and accepts it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cartera, launch, newPage, shot, signIn } from './harness.mjs';

describe('offers and their approval', () => {
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

  test('a collector offers a discount above their limit and a manager approves it', async () => {
    const owing = cartera.json('customers', '--status', 'with_balance').filter((c) => c.currency === 'COP');
    const customer = owing[0].external_id;
    cartera.cli('-q', 'customer', 'assign', customer, '--collector', 'collector@e2e.test');

    // The collector: the live terms, then the offer, which waits.
    const page = await newPage(browser);
    await signIn(page, cartera, 'collector@e2e.test');
    await page.goto(`${cartera.url}/customers/${encodeURIComponent(customer)}`);
    await page.getByTestId('offers-section').waitFor();
    await page.getByTestId('offer-new').click();
    const form = page.getByTestId('offer-form');
    await form.getByLabel('Tipo de oferta').selectOption('early_payment_discount');
    await form.getByLabel(/Porcentaje condonado/).fill('10');
    await form.getByLabel('Último día para pagar').fill('2026-12-15');
    await page.getByTestId('quote-approval').filter({ hasText: /Pasa de su límite \(5\.00 %\)/ }).waitFor();
    const quoted = (await page.getByTestId('quote-due').textContent()) ?? '';
    assert.match(quoted, /\$/);
    await shot(page, 'offer-create-desktop');
    await form.getByTestId('offer-submit').click();
    await page.getByTestId('offer-notice').filter({ hasText: /enviada a aprobación/ }).waitFor();
    await page.getByTestId('offer-status').filter({ hasText: 'Por aprobar' }).waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();

    const [pending] = cartera.json('offers', '--status', 'pending_approval');
    assert.equal(pending.customer_external_id, customer);
    assert.equal(pending.created_by, 'user:collector@e2e.test');
    assert.equal(pending.percent, '10.00');

    // The manager: the approval queue, on a phone.
    const phone = await newPage(browser, { viewport: 'phone' });
    await signIn(phone, cartera, 'manager@e2e.test');
    await phone.goto(`${cartera.url}/approvals`);
    const card = phone.getByTestId('offer-approval').filter({ hasText: pending.customer_name });
    await card.waitFor();
    assert.equal(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling');
    await shot(phone, 'offer-approvals-phone');
    await card.getByTestId('approval-note').fill('Cliente de años, paga a tiempo');
    await card.getByTestId('offer-approve').click();
    await phone.getByTestId('approval-notice').filter({ hasText: `Oferta ${pending.id} aprobada` }).waitFor();
    assert.deepEqual(phone.errors, []);
    await phone.context().close();

    const approved = cartera.json('offer', 'show', String(pending.id));
    assert.equal(approved.status, 'approved');
    assert.equal(approved.decided_by, 'user:manager@e2e.test');
    assert.equal(approved.decision_note, 'Cliente de años, paga a tiempo');
    const audit = cartera.json('audit', '--limit', '50');
    const rows = audit.data ?? audit;
    assert.ok(rows.some((row) => row.entity === 'offer' && row.actor === 'user:manager@e2e.test'), 'the approval is audited with the manager');

    // The debtor sees the approved offer in the portal and accepts it.
    const link = cartera.cli('-q', 'portal', 'link', customer).trim().replace(/^https?:\/\/[^/]+/, cartera.url);
    const debtor = await newPage(browser, { viewport: 'phone' });
    await debtor.goto(link);
    const offer = debtor.getByTestId('portal-offer');
    await offer.waitFor();
    await shot(debtor, 'offer-portal-phone');
    await offer.getByTestId('offer-accept').click();
    await debtor.getByTestId('offer-accepted').waitFor();
    assert.deepEqual(debtor.errors, []);
    await debtor.context().close();
    assert.equal(cartera.json('offer', 'show', String(pending.id)).status, 'accepted');
  });
});
