// The debtor's quiet hours: the daily window in which they accept contact,
// inside the hours the law allows (the API's `legal_hours`). The server
// checks the same rules; these give the answer before a round trip.
import type { Schemas } from '../shared/api';

type LegalHours = Schemas['PortalLegalHours'];
type Translate = (key: string, vars?: Record<string, string | number>) => string;

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export function minutesOf(time: string): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(time);
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes > 24 * 60 ? null : minutes;
}

// The earliest start and latest end of the law's windows: the bounds of the
// time inputs ("24:00" becomes the input's last minute).
export function legalBounds(legal: LegalHours[]): { min: string; max: string } | null {
  if (!legal.length) return null;
  const min = legal.map((w) => w.from).sort()[0];
  const max = legal.map((w) => w.to).sort().reverse()[0];
  return { min, max: max === '24:00' ? '23:59' : max };
}

// "lunes a viernes de 07:00 a 19:00; sábado de 08:00 a 15:00".
export function legalHoursText(legal: LegalHours[], t: Translate): string {
  return legal
    .map((window) => {
      const days = [...window.days].sort((a, b) => DAYS.indexOf(a) - DAYS.indexOf(b));
      const consecutive = days.every((d, i) => i === 0 || DAYS.indexOf(d) === DAYS.indexOf(days[i - 1]) + 1);
      const names =
        days.length === 7
          ? t('quiet.everyDay')
          : consecutive && days.length >= 3
            ? t('quiet.dayRange', { from: t(`day.${days[0]}`), to: t(`day.${days[days.length - 1]}`) })
            : days.map((d) => t(`day.${d}`)).join(', ');
      return t('quiet.window', { days: names, from: window.from, to: window.to });
    })
    .join('; ');
}

// The window to send ({from, to}, or null for no preference) or the field errors.
export function checkQuietHours(
  value: { from: string; to: string },
  legal: LegalHours[],
  t: Translate,
): { errors: Record<string, string>; quietHours?: { from: string; to: string } | null } {
  if (!value.from && !value.to) return { errors: {}, quietHours: null };
  const errors: Record<string, string> = {};
  const from = minutesOf(value.from);
  const to = minutesOf(value.to);
  if (from === null) errors['quiet_hours/from'] = value.from ? t('quiet.badTime') : t('form.required');
  if (to === null) errors['quiet_hours/to'] = value.to ? t('quiet.badTime') : t('form.required');
  if (from !== null && to !== null) {
    if (to <= from) errors['quiet_hours/to'] = t('quiet.toAfterFrom');
    else if (to - from < 60) errors['quiet_hours/to'] = t('quiet.oneHour');
    else if (legal.length && !legal.some((w) => Math.max(from, minutesOf(w.from) ?? 0) < Math.min(to, minutesOf(w.to) ?? 0))) {
      errors['quiet_hours'] = t('quiet.outsideLaw');
    }
  }
  if (Object.keys(errors).length) return { errors };
  return { errors, quietHours: { from: value.from, to: value.to } };
}
