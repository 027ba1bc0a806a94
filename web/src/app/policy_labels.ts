// Words for a strategy's and a template's channels, tones and action types,
// shared by the strategy and templates screens (unknown values shown as is).
type T = (key: string, vars?: Record<string, string | number>) => string;

function label(t: T, key: string, fallback: string): string {
  const text = t(key);
  return text === key ? fallback : text;
}
export function channelLabel(t: T, channel: string | undefined | null): string {
  if (!channel) return '—';
  return channel === 'best' ? t('policy.channel.best') : label(t, `channel.${channel}`, channel);
}
export function toneLabel(t: T, tone: string | undefined | null): string {
  return tone ? label(t, `policy.tone.${tone}`, tone) : '';
}
export function actionLabel(t: T, type: string | undefined): string {
  return type ? label(t, `policy.action.${type}`, type) : '—';
}
