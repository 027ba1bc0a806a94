// The business's web app in a real browser against a real server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cartera, launch, newPage, shot, signIn } from './harness.mjs';

const digits = (text) => text.replace(/\D/g, '');

describe('web app', () => {
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

  test("the dashboard's totals are `cartera aging`'s, in Spanish and English", async () => {
    const aging = cartera.json('aging');
    const page = await newPage(browser);
    await signIn(page, cartera, 'admin@e2e.test');
    for (const line of aging.totals) {
      const currency = line.balance.currency;
      const total = page.getByTestId(`total-${currency}`);
      await total.waitFor();
      // Spanish drops ",00" of whole amounts; the digits are the same.
      assert.equal(digits(await total.innerText()), digits(line.balance.amount).replace(/00$/, line.balance.amount.endsWith('.00') ? '' : '00'));
      for (const bucket of line.buckets) {
        const cell = page.getByTestId(`aging-${currency}`).locator(`[data-bucket="${bucket.bucket}"]`);
        assert.ok(digits(bucket.open.amount).startsWith(digits(await cell.innerText())), `${bucket.bucket}`);
      }
    }
    await shot(page, 'dashboard-es-desktop');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    for (const line of aging.totals) {
      const text = await page.getByTestId(`total-${line.balance.currency}`).innerText();
      assert.equal(digits(text), digits(line.balance.amount), 'English shows every cent');
    }
    await shot(page, 'dashboard-en-desktop');
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Inicio' }).waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the dashboard on a phone', async () => {
    const page = await newPage(browser, { viewport: 'phone' });
    await signIn(page, cartera, 'collector@e2e.test');
    await page.getByRole('heading', { name: 'Inicio' }).waitFor();
    await page.locator('[data-testid^="total-"]').first().waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling');
    await shot(page, 'dashboard-es-phone');
    await page.context().close();
  });

  test("another tenant's user sees none of this tenant's customers", async () => {
    const page = await newPage(browser);
    await signIn(page, cartera, 'admin@beta.test');
    await page.getByRole('heading', { name: 'Inicio' }).waitFor();
    const body = await page.locator('body').innerText();
    const someone = cartera.json('customers', '--limit', '5');
    const names = (someone.data ?? someone).map((c) => c.name);
    assert.ok(names.length > 0);
    for (const name of names) assert.ok(!body.includes(name), `${name} leaked to tenant Beta`);
    const answer = await page.evaluate(async () => (await fetch('/api/v1/customers?limit=100')).json());
    assert.deepEqual(answer.data, []);
    await shot(page, 'dashboard-other-tenant');
    await page.context().close();
  });

  test('a wrong password is refused with a message, in the chosen language', async () => {
    const page = await newPage(browser);
    await page.goto(cartera.url + '/');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('E-mail').fill('admin@e2e.test');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /password|e-mail/i);
    await page.context().close();
  });
});
