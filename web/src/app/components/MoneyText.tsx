import { useI18n } from '../../shared/i18n';
import { formatMoney, type Money } from '../../shared/format';

export function MoneyText({ value, className }: { value: Money | null | undefined; className?: string }) {
  const { lang } = useI18n();
  return <span className={`money ${className ?? ''}`}>{formatMoney(value, lang)}</span>;
}
