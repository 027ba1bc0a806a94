// A manager edits the strategy in the browser: changes a stage's day,
// validates, previews the 90-day simulation, saves; the CLI sees the change.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cartera, launch, newPage, shot, signIn } from './harness.mjs';

describe('strategy editor', () => {
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

  test('edit a stage, validate, preview the simulation, save', async () => {
    const before = JSON.parse(cartera.cli('policy', 'export'));
    assert.equal(before.stages[0].day, -7);
    const page = await newPage(browser);
    await signIn(page, cartera, 'manager@e2e.test');
    await page.goto(`${cartera.url}/strategy`);
    await page.getByTestId('strategy-timeline').waitFor();
    await page.getByTestId('strategy-edit').click();
    await page.getByTestId('stage-day-0').fill('-5');
    await page.getByTestId('strategy-validate').click();
    await page.getByTestId('strategy-valid').waitFor();
    // The preview plays the proposal before it is saved, with what the law holds back.
    await page.getByTestId('simulate').click();
    await page.getByTestId('sim-proposed').waitFor();
    const totals = await page.getByTestId('sim-totals').innerText();
    assert.match(totals, /\d/);
    assert.match(await page.getByTestId('law-blocks').innerText(), /bloqueados/);
    assert.equal(JSON.parse(cartera.cli('policy', 'export')).stages[0].day, -7, 'a preview stores nothing');
    await shot(page, 'strategy-preview-desktop');
    await page.getByTestId('strategy-save').click();
    await page.getByTestId('strategy-saved').waitFor();
    const saved = JSON.parse(cartera.cli('policy', 'export'));
    assert.equal(saved.stages[0].day, -5, 'the saved strategy has the new day');
    assert.deepEqual(saved.stages.slice(1), before.stages.slice(1), 'nothing else changed');
    const audit = cartera.json('audit', '--entity', 'strategy');
    const rows = audit.data ?? audit;
    assert.ok(rows.some((row) => /manager@e2e.test/.test(row.actor)), 'the change is audited with who made it');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('an invalid day is shown beside its field and nothing is saved', async () => {
    const page = await newPage(browser);
    await signIn(page, cartera, 'manager@e2e.test');
    await page.goto(`${cartera.url}/strategy`);
    await page.getByTestId('strategy-edit').click();
    // Two stages on one day are refused.
    await page.getByTestId('stage-day-1').fill(String(JSON.parse(cartera.cli('policy', 'export')).stages[2].day));
    await page.getByTestId('strategy-validate').click();
    await page.getByTestId('strategy-problems').waitFor();
    await shot(page, 'strategy-invalid-desktop');
    const stored = JSON.parse(cartera.cli('policy', 'export'));
    assert.notEqual(stored.stages[1].day, stored.stages[2].day);
    await page.context().close();
  });
});
