// The debtor portal: the promise form's bounds and validation (in the
// debtor's own number format), the API's field errors beside the fields, the
// confirmation, the path → page routing and the catalogue's completeness.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { stubbedFetch } from '../test/stub';

const fetchMock = stubbedFetch();

import { amountForInput, checkPromise, compareAmounts, parseAmount, type PromiseLimits } from './promise';
import { ContactForm, PromiseForm } from './forms';
import { checkQuietHours, legalBounds, legalHoursText } from './quiet';
import { PortalLangProvider } from './lang';
import { portalMessages } from './messages';
import { translate } from '../shared/i18n';
import type { Schemas } from '../shared/api';
import { route } from './route';

const limits: PromiseLimits = {
  currency: 'COP',
  earliest_date: '2026-12-03',
  latest_date: '2027-01-02',
  min_amount: { amount: '10000.00', currency: 'COP' },
  max_amount: { amount: '961936.75', currency: 'COP' },
};
// Intl puts no-break spaces in money: compare with plain ones.
const plain = (text: string | null | undefined) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');
const es = (key: string, vars?: Record<string, string | number>) => translate(portalMessages, 'es', key, vars);

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
}

afterEach(() => {
  cleanup();
  fetchMock.mockReset();
  localStorage.clear();
});

describe('parseAmount', () => {
  it('reads Spanish amounts: dots group thousands, the comma is the decimal mark', () => {
    expect(parseAmount('150.000', 'es')).toBe('150000');
    expect(parseAmount('$ 1.250.000,50', 'es')).toBe('1250000.50');
    expect(parseAmount('250000', 'es')).toBe('250000');
    expect(parseAmount('12,5', 'es')).toBe('12.5');
    expect(parseAmount('150.5', 'es')).toBe('150.5');
  });
  it('reads English amounts: commas group thousands, the dot is the decimal mark', () => {
    expect(parseAmount('1,250,000.50', 'en')).toBe('1250000.50');
    expect(parseAmount('$150,000', 'en')).toBe('150000');
    expect(parseAmount('007', 'en')).toBe('7');
  });
  it('rejects what is not an amount', () => {
    for (const bad of ['', 'abc', '-5', '1.2.3,4,5', '12,34,5', '1,5.000']) expect(parseAmount(bad, 'es')).toBeNull();
    expect(parseAmount('10.123', 'en', 2)).toBeNull(); // more decimals than the currency has
  });
  it('round-trips the "whole balance" shortcut', () => {
    expect(amountForInput('961936.75', 'es')).toBe('961.936,75');
    expect(amountForInput('961936.00', 'en')).toBe('961,936');
    expect(parseAmount(amountForInput('961936.75', 'es'), 'es')).toBe('961936.75');
  });
});

describe('checkPromise', () => {
  it('compares exact decimals, never floats', () => {
    expect(compareAmounts('0.3', '0.30')).toBe(0);
    expect(compareAmounts('9007199254740993.01', '9007199254740993.00')).toBe(1);
    expect(compareAmounts('961936.74', '961936.75')).toBe(-1);
  });
  it('accepts a date and an amount inside the limits, bounds included', () => {
    expect(checkPromise({ date: '2026-12-03', amount: '10.000' }, limits, 'es', es)).toEqual({ errors: {}, amount: '10000' });
    expect(checkPromise({ date: '2027-01-02', amount: '961.936,75' }, limits, 'es', es)).toEqual({ errors: {}, amount: '961936.75' });
  });
  it('names each field outside the limits', () => {
    const early = checkPromise({ date: '2026-12-02', amount: '9.999,99' }, limits, 'es', es);
    expect(early.amount).toBeNull();
    expect(early.errors.date).toMatch(/antes del 3 de dic/);
    expect(plain(early.errors.amount)).toBe('El valor mínimo es $ 10.000.');
    const late = checkPromise({ date: '2027-01-03', amount: '961.936,76' }, limits, 'es', es);
    expect(late.errors.date).toMatch(/después del 2 de ene/);
    expect(plain(late.errors.amount)).toBe('El valor máximo es $ 961.936,75.');
    expect(checkPromise({ date: '', amount: '' }, limits, 'es', es).errors).toEqual({ date: es('form.required'), amount: es('form.required') });
    expect(checkPromise({ date: '2026-12-10', amount: 'mucho' }, limits, 'es', es).errors).toEqual({ amount: es('form.badAmount') });
  });
  it('has no upper date bound when the strategy sets none', () => {
    expect(checkPromise({ date: '2030-01-01', amount: '20000' }, { ...limits, latest_date: null }, 'es', es).errors).toEqual({});
  });
});

describe('PromiseForm', () => {
  function renderForm(onDone = vi.fn()) {
    render(
      <PortalLangProvider initial="es">
        <PromiseForm token="tok.en" limits={limits} onDone={onDone} />
      </PortalLangProvider>,
    );
    return onDone;
  }

  it('bounds the date picker and shows errors beside the fields without calling the API', () => {
    renderForm();
    const date = screen.getByLabelText('Fecha de pago') as HTMLInputElement;
    expect(date.min).toBe('2026-12-03');
    expect(date.max).toBe('2027-01-02');
    fireEvent.change(date, { target: { value: '2027-02-01' } });
    fireEvent.change(screen.getByLabelText('Valor (COP)'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Prometer el pago' }));
    expect(screen.getByTestId('promise-date-error').textContent).toMatch(/después del/);
    expect(plain(screen.getByTestId('promise-amount-error').textContent)).toBe('El valor mínimo es $ 10.000.');
    expect(date.getAttribute('aria-invalid')).toBe('true');
    expect(date.getAttribute('aria-describedby')).toContain(screen.getByTestId('promise-date-error').id);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("shows the API's field error beside its field", async () => {
    fetchMock.mockResolvedValueOnce(
      json(422, { status: 422, title: 'invalid request', errors: [{ field: '/amount', code: 1, detail: 'más de lo que debe' }] }),
    );
    renderForm();
    fireEvent.change(screen.getByLabelText('Fecha de pago'), { target: { value: '2026-12-15' } });
    fireEvent.change(screen.getByLabelText('Valor (COP)'), { target: { value: '250.000' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Prometer el pago' })));
    expect(screen.getByTestId('promise-amount-error').textContent).toBe('más de lo que debe');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('posts the exact decimal and confirms', async () => {
    fetchMock.mockResolvedValueOnce(
      json(201, { id: 7, customer_external_id: 'C1', promised_date: '2026-12-15', amount: { amount: '250000.50', currency: 'COP' }, status: 'open', source: 'portal', note: '' }),
    );
    const onDone = renderForm();
    fireEvent.change(screen.getByLabelText('Fecha de pago'), { target: { value: '2026-12-15' } });
    fireEvent.change(screen.getByLabelText('Valor (COP)'), { target: { value: '250.000,50' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Prometer el pago' })));
    const request = fetchMock.mock.calls[0][0] as Request;
    expect(new URL(request.url).pathname).toBe('/api/v1/portal/tok.en/promises');
    expect(request.method).toBe('POST');
    expect(request.headers.get('Accept-Language')).toBe('es');
    expect(await request.json()).toEqual({ date: '2026-12-15', amount: '250000.50', currency: 'COP' });
    expect(plain(screen.getByTestId('promise-done').textContent)).toContain('Registramos su promesa de pagar $ 250.000,50 el 15 de dic de 2026');
    expect(onDone).toHaveBeenCalled();
  });

  it('speaks English when asked', () => {
    render(
      <PortalLangProvider initial="en">
        <PromiseForm token="t" limits={limits} onDone={() => {}} />
      </PortalLangProvider>,
    );
    expect(screen.getByText('Between $10,000.00 and $961,936.75')).toBeTruthy();
    expect(screen.getByLabelText('Amount (COP)')).toBeTruthy();
  });
});

const contact: Schemas['PortalContact'] = {
  channels: [{ channel: 'email', address: 'j***@example.com', consent: 'granted', by_debtor: false, usable: true, preferred: false }],
  preferred_channel: null,
  quiet_hours: null,
  time_zone: 'America/Bogota',
  legal_hours: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' },
    { days: ['sat'], from: '08:00', to: '15:00' },
  ],
};

describe('quiet hours', () => {
  it("describes the law's window in the debtor's words", () => {
    expect(legalHoursText(contact.legal_hours, es)).toBe('lunes a viernes de 07:00 a 19:00; sábado de 08:00 a 15:00');
    expect(legalBounds(contact.legal_hours)).toEqual({ min: '07:00', max: '19:00' });
  });
  it('checks the window as the server does: HH:MM, from < to, an hour at least, meeting the law', () => {
    expect(checkQuietHours({ from: '', to: '' }, contact.legal_hours, es)).toEqual({ errors: {}, quietHours: null });
    expect(checkQuietHours({ from: '15:00', to: '17:00' }, contact.legal_hours, es)).toEqual({ errors: {}, quietHours: { from: '15:00', to: '17:00' } });
    expect(checkQuietHours({ from: '15:00', to: '' }, contact.legal_hours, es).errors).toEqual({ 'quiet_hours/to': es('form.required') });
    expect(checkQuietHours({ from: '17:00', to: '15:00' }, contact.legal_hours, es).errors).toEqual({ 'quiet_hours/to': es('quiet.toAfterFrom') });
    expect(checkQuietHours({ from: '15:00', to: '15:30' }, contact.legal_hours, es).errors).toEqual({ 'quiet_hours/to': es('quiet.oneHour') });
    expect(checkQuietHours({ from: '20:00', to: '22:00' }, contact.legal_hours, es).errors).toEqual({ quiet_hours: es('quiet.outsideLaw') });
  });
});

describe('ContactForm', () => {
  function renderForm(value = contact, onDone = vi.fn()) {
    render(
      <PortalLangProvider initial="es">
        <ContactForm token="tok.en" contact={value} onDone={onDone} />
      </PortalLangProvider>,
    );
    return onDone;
  }

  it("shows the law's hours and bounds the time inputs to them", () => {
    renderForm();
    expect(screen.getByTestId('legal-hours').textContent).toBe(
      'Por ley solo le contactamos lunes a viernes de 07:00 a 19:00; sábado de 08:00 a 15:00 (hora de America/Bogota). Puede acortar ese horario, no ampliarlo.',
    );
    const from = screen.getByLabelText('Desde') as HTMLInputElement;
    expect(from.max).toBe('19:00');
    expect(from.min).toBe('07:00');
    expect(from.type).toBe('time');
  });

  it('refuses a window shorter than an hour beside its field, without calling the API', () => {
    renderForm();
    fireEvent.change(screen.getByLabelText('Desde'), { target: { value: '15:00' } });
    fireEvent.change(screen.getByLabelText('Hasta'), { target: { value: '15:30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Guardar mis preferencias' }));
    expect(screen.getByTestId('quiet-to-error').textContent).toBe(es('quiet.oneHour'));
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('puts the window, and null after "no preference"', async () => {
    const answer = () => json(200, { ...contact, quiet_hours: { from: '15:00', to: '17:00' } });
    fetchMock.mockResolvedValueOnce(answer()).mockResolvedValueOnce(answer());
    const onDone = renderForm();
    fireEvent.change(screen.getByLabelText('Desde'), { target: { value: '15:00' } });
    fireEvent.change(screen.getByLabelText('Hasta'), { target: { value: '17:00' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Guardar mis preferencias' })));
    const request = fetchMock.mock.calls[0][0] as Request;
    expect(new URL(request.url).pathname).toBe('/api/v1/portal/tok.en/contact-preferences');
    expect(request.method).toBe('PUT');
    expect(await request.json()).toEqual({ preferred_channel: null, quiet_hours: { from: '15:00', to: '17:00' } });
    expect(onDone).toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Sin preferencia de horario' }));
    expect((screen.getByLabelText('Desde') as HTMLInputElement).value).toBe('');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Guardar mis preferencias' })));
    expect(await (fetchMock.mock.calls[1][0] as Request).json()).toEqual({ preferred_channel: null, quiet_hours: null });
  });

  it("starts from the stored window and shows the API's field error beside its field", async () => {
    fetchMock.mockResolvedValueOnce(
      json(422, { status: 422, title: 'invalid request', errors: [{ field: '/quiet_hours/from', code: 1, detail: 'la hora es HH:MM' }] }),
    );
    renderForm({ ...contact, quiet_hours: { from: '09:00', to: '12:00' } });
    expect((screen.getByLabelText('Desde') as HTMLInputElement).value).toBe('09:00');
    expect((screen.getByLabelText('Hasta') as HTMLInputElement).value).toBe('12:00');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Guardar mis preferencias' })));
    expect(screen.getByTestId('quiet-from-error').textContent).toBe('la hora es HH:MM');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('route', () => {
  it('reads the page and the token from the path', () => {
    expect(route('/p/abc.def')).toEqual({ page: 'portal', token: 'abc.def' });
    expect(route('/pay/abc.def/')).toEqual({ page: 'pay', token: 'abc.def' });
    expect(route('/unsubscribe/x_y-z.1')).toEqual({ page: 'unsubscribe', token: 'x_y-z.1' });
    expect(route('/p/')).toEqual({ page: 'invalid', token: '' });
    expect(route('/elsewhere')).toEqual({ page: 'invalid', token: '' });
  });
});

describe('the portal catalogue', () => {
  it('has every key in both languages', () => {
    const esKeys = Object.keys(portalMessages.es).sort();
    const enKeys = Object.keys(portalMessages.en).sort();
    expect(esKeys).toEqual(enKeys);
  });
});
