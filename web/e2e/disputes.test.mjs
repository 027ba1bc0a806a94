// Disputes with reasons, owners and deadlines (docs/disputes.md), end to
// end: a manager opens the Disputas screen, resolves a dispute as accepted
// with a partial credit note, and the customer's balance drops by exactly
// that amount; the root-cause report counts it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cartera, launch, newPage, shot, signIn } from './harness.mjs';

// Minor units from a decimal string: money is never a float.
const minor = (amount) => {
  const [whole, cents = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt((cents + '00').slice(0, 2));
};

describe('disputes', () => {
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

  test('a manager resolves a dispute with a partial credit note and the balance drops by exactly that', async () => {
    const invoices = cartera.json('invoices').filter((i) => i.status !== 'paid' && i.open.currency === 'COP' && minor(i.open.amount) > 100000n);
    const invoice = invoices[0];
    const customer = invoice.customer_external_id;
    const opened = cartera.cli('--lang', 'en', 'dispute', 'open', invoice.external_id, '--reason', 'wrong_amount', '--text', 'el precio no es el pactado');
    const id = Number(/Dispute opened: (\d+)/.exec(opened)?.[1] ?? /Disputa abierta: (\d+)/.exec(opened)?.[1]);
    assert.ok(id > 0, opened);
    const balanceOf = () => minor(cartera.json('customers').find((c) => c.external_id === customer).balance.amount);
    const before = balanceOf();

    const page = await newPage(browser);
    await signIn(page, cartera, 'manager@e2e.test');
    await page.getByRole('link', { name: 'Disputas' }).click();
    const row = page.locator(`tr[data-dispute="${id}"]`);
    await row.waitFor();
    await page.getByTestId('disputes-chart').waitFor();
    await shot(page, 'disputes-desktop');
    await row.getByTestId('resolve-dispute').click();
    const dialog = page.getByTestId('resolve-dialog');
    await dialog.waitFor();
    // The amount defaults to what the invoice owes; the manager credits part of it.
    assert.equal(await dialog.getByTestId('credit-amount').inputValue(), invoice.open.amount);
    await dialog.getByTestId('credit-amount').fill('1250,50');
    await dialog.getByTestId('resolution').fill('El precio correcto era menor');
    await shot(page, 'disputes-resolve-desktop');
    await dialog.getByTestId('resolve-submit').click();
    await page.getByTestId('resolved-notice').filter({ hasText: `Disputa ${id} aceptada` }).waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();

    // Exactly the credit: 1250.50 COP.
    assert.equal(before - balanceOf(), 125050n);
    const [dispute] = cartera.json('dispute', 'list', '--status', 'resolved').filter((d) => d.id === id);
    assert.equal(dispute.outcome, 'accepted');
    assert.deepEqual(dispute.credit, { amount: '1250.50', currency: 'COP' });
    assert.equal(dispute.resolved_by, 'user:manager@e2e.test');
    const report = cartera.json('disputes', 'report', '--by', 'reason');
    const wrong = report.rows.find((r) => r.key === 'wrong_amount');
    assert.equal(wrong.accepted, 1);
    assert.deepEqual(wrong.credited, [{ amount: '1250.50', currency: 'COP' }]);

    // A viewer sees the list on a phone, without a resolve button.
    const phone = await newPage(browser, { viewport: 'phone' });
    await signIn(phone, cartera, 'viewer@e2e.test');
    await phone.goto(`${cartera.url}/disputes`);
    await phone.getByTestId('filter-status').selectOption('resolved');
    await phone.locator(`tr[data-dispute="${id}"]`).waitFor();
    assert.equal(await phone.getByTestId('resolve-dispute').count(), 0);
    await shot(phone, 'disputes-phone');
    assert.deepEqual(phone.errors, []);
    await phone.context().close();
  });
});
