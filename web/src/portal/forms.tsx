// The debtor's actions: promise to pay, dispute an invoice, ask for a call
// back and choose how to be contacted. Each posts to its portal route; the
// API's field errors show beside the fields, then a confirmation.
import { useState, type FormEvent } from 'react';
import { api, type Schemas } from '../shared/api';
import { formatDate, formatMoney } from '../shared/format';
import { usePortalI18n } from './lang';
import { amountForInput, checkPromise } from './promise';
import { apiFieldErrors, apiFormError, Done, Field, FormError } from './parts';
import { checkQuietHours, legalBounds, legalHoursText } from './quiet';

type Overview = Schemas['PortalOverview'];
type Limits = NonNullable<Overview['promise_limits']>;

export function PromiseForm({ token, limits, onDone }: { token: string; limits: Limits; onDone: () => void }) {
  const { t, lang } = usePortalI18n();
  const [date, setDate] = useState('');
  const [amount, setAmount] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Schemas['Promise'] | null>(null);

  if (done) {
    return (
      <Done
        testid="promise-done"
        action={
          <button type="button" className="link" onClick={() => setDone(null)}>
            {t('promise.another')}
          </button>
        }
      >
        {t('promise.done', { amount: formatMoney(done.amount, lang), date: formatDate(done.promised_date, lang) })}
      </Done>
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError('');
    const check = checkPromise({ date, amount }, limits, lang, t);
    setErrors(check.errors);
    if (!check.amount) return;
    setBusy(true);
    const { data, error } = await api.POST('/api/v1/portal/{token}/promises', {
      params: { path: { token } },
      body: { date, amount: check.amount, currency: limits.currency },
    });
    setBusy(false);
    if (error || !data) {
      setErrors(apiFieldErrors(error));
      setFormError(apiFormError(error, ['date', 'amount']));
      return;
    }
    setDate('');
    setAmount('');
    setDone(data);
    onDone();
  }

  const dateHint = limits.latest_date
    ? t('promise.dateHint', { from: formatDate(limits.earliest_date, lang), to: formatDate(limits.latest_date, lang) })
    : t('promise.dateHintOpen', { from: formatDate(limits.earliest_date, lang) });
  return (
    <form onSubmit={submit} noValidate data-testid="promise-form">
      <Field label={t('promise.date')} hint={dateHint} error={errors.date} testid="promise-date">
        <input type="date" name="date" required min={limits.earliest_date} max={limits.latest_date ?? undefined} value={date} onChange={(e) => setDate(e.target.value)} />
      </Field>
      <Field
        label={t('promise.amount', { currency: limits.currency })}
        hint={t('promise.amountHint', { min: formatMoney(limits.min_amount, lang), max: formatMoney(limits.max_amount, lang) })}
        error={errors.amount ?? errors.currency}
        testid="promise-amount"
      >
        <input type="text" name="amount" inputMode="decimal" autoComplete="off" required value={amount} onChange={(e) => setAmount(e.target.value)} />
      </Field>
      <button type="button" className="link" onClick={() => setAmount(amountForInput(limits.max_amount.amount, lang))}>
        {t('promise.payAll', { amount: formatMoney(limits.max_amount, lang) })}
      </button>
      <FormError text={formError} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('form.sending') : t('promise.submit')}
      </button>
    </form>
  );
}

export function DisputeForm({ token, overview, onDone }: { token: string; overview: Overview; onDone: () => void }) {
  const { t, lang } = usePortalI18n();
  const invoices = overview.invoices.filter((invoice) => !invoice.disputed);
  const [invoice, setInvoice] = useState('');
  const [reason, setReason] = useState('');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  if (done) {
    return (
      <Done
        testid="dispute-done"
        action={
          invoices.length > 0 && (
            <button type="button" className="link" onClick={() => setDone(null)}>
              {t('dispute.another')}
            </button>
          )
        }
      >
        {t('dispute.done', { invoice: done })}
      </Done>
    );
  }
  if (!invoices.length) return <p className="muted">{t('dispute.none')}</p>;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError('');
    const missing: Record<string, string> = {};
    if (!invoice) missing.invoice = t('form.required');
    if (!reason) missing.reason = t('form.required');
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setBusy(true);
    const { data, error } = await api.POST('/api/v1/portal/{token}/disputes', {
      params: { path: { token } },
      body: { invoice, reason: reason as Schemas['PortalDisputeReason']['code'], ...(text.trim() ? { text: text.trim() } : {}) },
    });
    setBusy(false);
    if (error || !data) {
      setErrors(apiFieldErrors(error));
      setFormError(apiFormError(error, ['invoice', 'reason', 'text']));
      return;
    }
    const number = overview.invoices.find((i) => i.id === invoice)?.number ?? invoice;
    setInvoice('');
    setReason('');
    setText('');
    setDone(number);
    onDone();
  }

  return (
    <form onSubmit={submit} noValidate data-testid="dispute-form">
      <Field label={t('dispute.invoice')} error={errors.invoice} testid="dispute-invoice">
        <select name="invoice" required value={invoice} onChange={(e) => setInvoice(e.target.value)}>
          <option value="">{t('dispute.choose')}</option>
          {invoices.map((i) => (
            <option key={i.id} value={i.id}>
              {i.number} · {formatMoney(i.open, lang)} · {formatDate(i.due_date, lang)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('dispute.reason')} error={errors.reason} testid="dispute-reason">
        <select name="reason" required value={reason} onChange={(e) => setReason(e.target.value)}>
          <option value="">{t('dispute.choose')}</option>
          {overview.dispute_reasons.map((r) => (
            <option key={r.code} value={r.code}>
              {r.label[lang]}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('dispute.text')} error={errors.text} testid="dispute-text">
        <textarea name="text" rows={3} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} />
      </Field>
      <FormError text={formError} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('form.sending') : t('dispute.submit')}
      </button>
    </form>
  );
}

export function CallbackForm({ token, company }: { token: string; company: string }) {
  const { t } = usePortalI18n();
  const [phone, setPhone] = useState('');
  const [time, setTime] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Schemas['PortalCallback'] | null>(null);

  if (done) {
    return <Done testid="callback-done">{done.phone ? t('callback.doneTo', { phone: done.phone }) : t('callback.done')}</Done>;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError('');
    if (phone.trim() && !/^[0-9+() -]+$/.test(phone.trim())) {
      setErrors({ phone: t('form.badPhone') });
      return;
    }
    setErrors({});
    setBusy(true);
    const { data, error } = await api.POST('/api/v1/portal/{token}/callback', {
      params: { path: { token } },
      body: {
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        ...(time.trim() ? { preferred_time: time.trim() } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      },
    });
    setBusy(false);
    if (error || !data) {
      setErrors(apiFieldErrors(error));
      setFormError(apiFormError(error, ['phone', 'preferred_time', 'note']));
      return;
    }
    setDone(data);
  }

  return (
    <form onSubmit={submit} noValidate data-testid="callback-form">
      <p>{t('callback.intro', { company })}</p>
      <Field label={t('callback.phone')} error={errors.phone} testid="callback-phone">
        <input type="tel" name="phone" autoComplete="tel" maxLength={40} value={phone} onChange={(e) => setPhone(e.target.value)} />
      </Field>
      <Field label={t('callback.time')} error={errors.preferred_time} testid="callback-time">
        <input type="text" name="preferred_time" maxLength={200} placeholder={t('callback.timePlaceholder')} value={time} onChange={(e) => setTime(e.target.value)} />
      </Field>
      <Field label={t('callback.note')} error={errors.note} testid="callback-note">
        <textarea name="note" rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <FormError text={formError} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('form.sending') : t('callback.submit')}
      </button>
    </form>
  );
}

type Contact = Schemas['PortalContact'];
type OptKind = 'email' | 'sms' | 'phone' | 'whatsapp';
const PREFERRED = ['email', 'sms', 'whatsapp', 'call', 'letter'] as const;

export function ContactForm({ token, contact, onDone }: { token: string; contact: Contact; onDone: () => void }) {
  const { t } = usePortalI18n();
  const [preferred, setPreferred] = useState<string>(contact.preferred_channel ?? '');
  // A channel is "out" when its consent is revoked; the checkboxes start there.
  const initialOut = new Set(contact.channels.filter((c) => c.consent === 'revoked').map((c) => c.channel));
  const [out, setOut] = useState<Set<string>>(initialOut);
  const [quietFrom, setQuietFrom] = useState(contact.quiet_hours?.from ?? '');
  const [quietTo, setQuietTo] = useState(contact.quiet_hours?.to ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const kinds = Array.from(new Set(contact.channels.map((c) => c.channel)));
  const bounds = legalBounds(contact.legal_hours);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError('');
    setDone(false);
    const quiet = checkQuietHours({ from: quietFrom, to: quietTo }, contact.legal_hours, t);
    setErrors(quiet.errors);
    if (quiet.quietHours === undefined) return;
    const optOut = kinds.filter((k) => out.has(k) && !initialOut.has(k)) as OptKind[];
    const optIn = kinds.filter((k) => !out.has(k) && initialOut.has(k)) as OptKind[];
    setBusy(true);
    const { data, error } = await api.PUT('/api/v1/portal/{token}/contact-preferences', {
      params: { path: { token } },
      body: {
        preferred_channel: (preferred || null) as Contact['preferred_channel'],
        ...(optOut.length ? { opt_out: optOut } : {}),
        ...(optIn.length ? { opt_in: optIn } : {}),
        quiet_hours: quiet.quietHours,
      },
    });
    setBusy(false);
    if (error || !data) {
      setErrors(apiFieldErrors(error));
      setFormError(apiFormError(error, ['quiet_hours', 'quiet_hours/from', 'quiet_hours/to']));
      return;
    }
    setDone(true);
    onDone();
  }

  function toggle(kind: string, checked: boolean) {
    setDone(false);
    const next = new Set(out);
    if (checked) next.add(kind);
    else next.delete(kind);
    setOut(next);
  }

  return (
    <form onSubmit={submit} noValidate data-testid="contact-form">
      <fieldset>
        <legend>{t('contact.preferred')}</legend>
        <div className="choices">
          {[...PREFERRED, ''].map((channel) => (
            <label key={channel || 'none'} className="choice">
              <input type="radio" name="preferred" value={channel} checked={preferred === channel} onChange={() => (setDone(false), setPreferred(channel))} />
              {channel ? t(`channel.${channel}`) : t('contact.noPreference')}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset data-testid="quiet-hours">
        <legend>{t('quiet.title')}</legend>
        <p className="hint" data-testid="legal-hours">
          {contact.legal_hours.length
            ? t('quiet.law', { hours: legalHoursText(contact.legal_hours, t), zone: contact.time_zone })
            : t('quiet.lawNone')}
        </p>
        <div className="choices">
          <Field label={t('quiet.from')} error={errors['quiet_hours/from']} testid="quiet-from">
            <input type="time" name="quiet_from" step={900} min={bounds?.min} max={bounds?.max} value={quietFrom} onChange={(e) => (setDone(false), setQuietFrom(e.target.value))} />
          </Field>
          <Field label={t('quiet.to')} error={errors['quiet_hours/to']} testid="quiet-to">
            <input type="time" name="quiet_to" step={900} min={bounds?.min} max={bounds?.max} value={quietTo} onChange={(e) => (setDone(false), setQuietTo(e.target.value))} />
          </Field>
        </div>
        {errors.quiet_hours && (
          <p className="field-error" data-testid="quiet-hours-error">
            {errors.quiet_hours}
          </p>
        )}
        <button type="button" className="link" data-testid="quiet-clear" disabled={!quietFrom && !quietTo} onClick={() => (setDone(false), setErrors({}), setQuietFrom(''), setQuietTo(''))}>
          {t('quiet.noPreference')}
        </button>
        <p className="hint">{quietFrom || quietTo ? t('quiet.chosen') : t('quiet.none')}</p>
      </fieldset>
      <fieldset>
        <legend>{t('contact.channels')}</legend>
        {contact.channels.length === 0 && <p className="muted">{t('contact.noChannels')}</p>}
        {contact.channels.map((c) => (
          <label key={`${c.channel}-${c.address}`} className="choice" data-testid={`optout-${c.channel}`}>
            <input type="checkbox" checked={out.has(c.channel)} onChange={(e) => toggle(c.channel, e.target.checked)} />
            {t('contact.optOut', { channel: t(`channel.${c.channel}`), address: c.address })}
          </label>
        ))}
      </fieldset>
      <FormError text={formError} />
      {done && <Done testid="contact-done">{t('contact.done')}</Done>}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('form.sending') : t('contact.submit')}
      </button>
    </form>
  );
}
