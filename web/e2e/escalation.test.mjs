// Escalation (docs/escalation.md), end to end: a manager adds an agency,
// hands one invoice of a customer to it from the customer 360, records what
// the agency recovered on the Escalamiento screen and sees the commission
// the server computed; the manager proposes a write-off and an admin
// approves it, and the customer's balance becomes 0. A viewer on a phone
// sees the cases without any action button.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cartera, launch, newPage, shot, signIn } from './harness.mjs';

// Minor units from a decimal string: money is never a float.
const minor = (amount) => {
  const negative = amount.startsWith('-');
  const [whole, cents = ''] = amount.replace('-', '').split('.');
  const value = BigInt(whole) * 100n + BigInt((cents + '00').slice(0, 2));
  return negative ? -value : value;
};

describe('escalation', () => {
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

  test('agency hand-over, a recovery with its commission, and a write-off approved by an admin', async () => {
    const customers = cartera.json('customers').filter((c) => c.balance && c.balance.currency === 'COP' && c.open_invoices >= 2 && minor(c.credit?.amount ?? '0') === 0n);
    assert.ok(customers.length >= 2);
    const [agencyCustomer, writeOffCustomer] = customers;
    const unpaid = cartera.json('invoices').filter((i) => i.customer_external_id === agencyCustomer.external_id && i.status !== 'paid' && minor(i.open.amount) > 100000n);
    const invoice = unpaid[0];
    assert.ok(invoice, 'an open invoice to hand over');

    // The manager adds an agency at 15 %.
    const page = await newPage(browser);
    await signIn(page, cartera, 'manager@e2e.test');
    await page.getByRole('link', { name: 'Escalamiento' }).click();
    await page.getByTestId('tab-agencies').click();
    await page.getByTestId('agency-name').fill('Cobranzas Andinas');
    await page.getByTestId('agency-contact').fill('cobros@andinas.test');
    await page.getByTestId('agency-commission').fill('15');
    await page.getByTestId('agency-submit').click();
    await page.locator('[data-testid="agencies-table"] tr', { hasText: 'Cobranzas Andinas' }).waitFor();

    // ... and hands one invoice of the customer to it from the 360.
    await page.goto(`${cartera.url}/customers/${encodeURIComponent(agencyCustomer.external_id)}`);
    const section = page.getByTestId('escalation-section');
    await section.waitFor();
    await section.getByTestId('escalation-handover').click();
    const form = section.getByTestId('escalation-form-agency');
    await form.getByTestId('escalation-agency').selectOption({ label: 'Cobranzas Andinas (15.00 %)' });
    await form.getByTestId(`escalation-invoice-${invoice.external_id}`).check();
    await form.getByTestId('escalation-text').fill('Sin respuesta en 170 días');
    await form.getByTestId('escalation-submit').click();
    const opened = await section.getByTestId('escalation-notice').textContent();
    const caseId = Number(/Caso (\d+) abierto; facturas retenidas: 1\./.exec(opened)?.[1]);
    assert.ok(caseId > 0, opened);
    await section.locator(`tr[data-case="${caseId}"]`, { hasText: invoice.number }).waitFor();
    await shot(page, 'escalation-360-desktop');

    // The recovery on the Escalamiento screen: COP 1.000 at 15 % → COP 150.
    await section.getByRole('link', { name: `#${caseId}` }).click();
    const detail = page.getByTestId('case-detail');
    await detail.waitFor();
    await detail.getByTestId('recovery-reference').fill('AND-001');
    await detail.getByTestId('recovery-date').fill('2026-11-20');
    await detail.getByTestId('recovery-amount').fill('1000');
    await detail.getByTestId('recovery-submit').click();
    const notice = detail.getByTestId('case-notice');
    await notice.waitFor();
    assert.match(await notice.textContent(), /comisión de la agencia \$\s?150(,00)? \(15\.00 %\)/);
    const row = detail.locator('tr[data-recovery="AND-001"]');
    await row.waitFor();
    assert.match(await row.getByTestId('recovery-commission').textContent(), /150/);
    assert.equal(await detail.getByTestId('case-file-pdf').getAttribute('href'), `/api/v1/escalations/${caseId}/case-file.pdf`);
    await shot(page, 'escalation-case-desktop');
    // The download links answer for the manager's session: the case file and the bureau list.
    const caseFile = await page.request.get(`${cartera.url}/api/v1/escalations/${caseId}/case-file.csv`);
    assert.equal(caseFile.status(), 200);
    assert.match(await caseFile.text(), /^section,date,reference,description,currency,amount,status,detail/);
    const pdf = await page.request.get(`${cartera.url}/api/v1/escalations/${caseId}/case-file.pdf`);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    const bureauCsv = await page.request.get(`${cartera.url}/api/v1/bureau/report-list?format=csv`);
    assert.equal(bureauCsv.status(), 200);
    assert.match(bureauCsv.headers()['content-type'], /text\/csv/);
    const stored = cartera.json('escalation', 'show', String(caseId));
    assert.deepEqual(stored.recoveries[0].commission, { amount: '150.00', currency: 'COP' });
    assert.equal(stored.invoices[0].open.amount, ((minor(invoice.open.amount) - 100000n) / 100n).toString() + '.' + String((minor(invoice.open.amount) - 100000n) % 100n).padStart(2, '0'));

    // The manager proposes writing off the other customer's open invoices.
    await page.goto(`${cartera.url}/customers/${encodeURIComponent(writeOffCustomer.external_id)}`);
    const other = page.getByTestId('escalation-section');
    await other.getByTestId('escalation-writeoff').click();
    await other.getByTestId('escalation-form-writeOff').getByTestId('escalation-text').fill('Empresa liquidada, sin bienes');
    await other.getByTestId('escalation-submit').click();
    const proposed = await other.getByTestId('escalation-notice').textContent();
    const writeOffId = Number(/Castigo (\d+) propuesto/.exec(proposed)?.[1]);
    assert.ok(writeOffId > 0, proposed);
    // The manager cannot decide: no approve button.
    await page.goto(`${cartera.url}/escalations?tab=writeOffs`);
    await page.locator(`tr[data-writeoff="${writeOffId}"]`).waitFor();
    assert.equal(await page.getByTestId('writeoff-approve').count(), 0);
    assert.deepEqual(page.errors, []);
    await page.context().close();

    // An admin approves; the customer's balance becomes 0.
    const admin = await newPage(browser);
    await signIn(admin, cartera, 'admin@e2e.test');
    await admin.goto(`${cartera.url}/escalations?tab=writeOffs`);
    const proposal = admin.locator(`tr[data-writeoff="${writeOffId}"]`);
    await proposal.waitFor();
    await shot(admin, 'escalation-writeoffs-desktop');
    await proposal.getByTestId('writeoff-approve').click();
    await admin.getByTestId('writeoff-notice').filter({ hasText: `Castigo ${writeOffId} aprobado` }).waitFor();
    const exported = await admin.request.get(`${cartera.url}${await admin.getByTestId('writeoffs-export').getAttribute('href')}`);
    assert.match(await exported.text(), new RegExp(`^customer,tax_id,invoice,number,currency,amount,date,approver,proposer,reason,write_off_id[\\s\\S]*${writeOffCustomer.external_id}`));
    assert.deepEqual(admin.errors, []);
    await admin.context().close();
    const after = cartera.json('customers').find((c) => c.external_id === writeOffCustomer.external_id);
    assert.equal(after.balance === null ? 0n : minor(after.balance.amount), 0n);
    assert.equal(after.open_invoices, 0);

    // A viewer on a phone sees the case and the bureau dates, and no button.
    const phone = await newPage(browser, { viewport: 'phone' });
    await signIn(phone, cartera, 'viewer@e2e.test');
    await phone.goto(`${cartera.url}/escalations?case=${caseId}`);
    await phone.getByTestId('case-detail').waitFor();
    await phone.locator('tr[data-recovery="AND-001"]').waitFor();
    for (const id of ['recovery-form', 'case-recall', 'case-file-csv', 'tab-writeOffs', 'tab-bureau']) assert.equal(await phone.getByTestId(id).count(), 0, id);
    await shot(phone, 'escalation-case-phone');
    await phone.goto(`${cartera.url}/customers/${encodeURIComponent(agencyCustomer.external_id)}`);
    await phone.getByTestId('escalation-section').locator(`tr[data-case="${caseId}"]`).waitFor();
    assert.equal(await phone.getByTestId('escalation-handover').count(), 0);
    await phone.getByTestId('escalation-section').scrollIntoViewIfNeeded();
    await shot(phone, 'escalation-360-phone');
    assert.deepEqual(phone.errors, []);
    await phone.context().close();
  });

  test('legal action: the stepper offers the next stage, documents and costs are kept (English)', async () => {
    const customer = cartera.json('customers').find((c) => c.balance && c.balance.currency === 'COP' && c.open_invoices >= 1 && cartera.json('escalation', 'list').every((e) => e.customer_external_id !== c.external_id) && c.open_invoices < 5);
    const page = await newPage(browser, { locale: 'en-US' });
    await signIn(page, cartera, 'manager@e2e.test');
    if (await page.getByRole('button', { name: 'English' }).count()) await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Escalation' }).waitFor();
    await page.goto(`${cartera.url}/customers/${encodeURIComponent(customer.external_id)}`);
    const section = page.getByTestId('escalation-section');
    await section.getByTestId('escalation-legal').click();
    await section.getByTestId('escalation-submit').click();
    const opened = await section.getByTestId('escalation-notice').textContent();
    const caseId = Number(/(?:Case|Caso) (\d+)/.exec(opened)?.[1]);
    assert.ok(caseId > 0, opened);
    await page.goto(`${cartera.url}/escalations?case=${caseId}`);
    const detail = page.getByTestId('case-detail');
    // demand_letter → filed (or straight to closed); no going back or skipping.
    assert.equal(await detail.locator('.escalation-stepper li.current').getAttribute('data-stage'), 'demand_letter');
    assert.equal(await detail.getByTestId('stage-to-judgment').count(), 0);
    await detail.getByTestId('stage-note').fill('Radicada en el juzgado 3 civil');
    await detail.getByTestId('stage-to-filed').click();
    await detail.locator('.escalation-stepper li.current[data-stage="filed"]').waitFor();
    await detail.getByTestId('stage-to-judgment').waitFor();
    await detail.getByTestId('document-file').setInputFiles({ name: 'demanda.txt', mimeType: 'text/plain', buffer: Buffer.from('Demanda ejecutiva — ñ') });
    await detail.getByTestId('document-upload').click();
    await detail.getByTestId('documents').getByRole('link', { name: 'demanda.txt' }).waitFor();
    await detail.getByTestId('cost-amount').fill('350000');
    await detail.getByTestId('cost-description').fill('Court fee');
    await detail.getByTestId('cost-submit').click();
    await detail.getByTestId('costs').getByText('Court fee').waitFor();
    await shot(page, 'escalation-legal-desktop');
    const stored = cartera.json('escalation', 'show', String(caseId));
    assert.equal(stored.stage, 'filed');
    assert.equal(stored.documents[0].size_bytes, Buffer.byteLength('Demanda ejecutiva — ñ'));
    const doc = await page.request.get(`${cartera.url}/api/v1/escalations/${caseId}/documents/${stored.documents[0].id}`);
    assert.equal(await doc.text(), 'Demanda ejecutiva — ñ');
    assert.deepEqual(stored.costs[0].amount, { amount: '350000.00', currency: 'COP' });
    await page.goto(`${cartera.url}/escalations?tab=bureau`);
    await page.getByTestId('bureau-table').waitFor();
    await shot(page, 'escalation-bureau-desktop');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
