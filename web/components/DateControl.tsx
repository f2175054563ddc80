// "As of" control: a slider over the months from the first to the last event, plus a date field.
import { useI18n } from '../i18n/i18n.tsx';
import { dayIso, dayNumber } from '../../domain/days.ts';

const toDay = (date: string) => dayNumber(date.slice(0, 10)) ?? Number.NaN;

export function DateControl({
  value,
  range,
  onChange,
}: {
  value: string | null;
  range: { first: string; last: string } | null;
  onChange: (date: string | null) => void;
}) {
  const { t } = useI18n();
  if (!range) return null;
  const first = toDay(range.first);
  const last = toDay(range.last);
  const current = value ? toDay(value) : last;
  return (
    <div className="date-control">
      <input
        type="range"
        aria-label={t('asOf')}
        min={first}
        max={last}
        step={1}
        value={Math.min(Math.max(current, first), last)}
        onChange={(e) => onChange(Number(e.target.value) >= last ? null : dayIso(Number(e.target.value)))}
      />
      <div className="date-row">
        <input type="date" aria-label={t('asOf')} min={range.first} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)} />
        <button type="button" className="link" disabled={value === null} onClick={() => onChange(null)}>
          {t('asOfNow')}
        </button>
      </div>
      <small>
        {range.first} – {range.last} · {t('asOfHint')}
      </small>
    </div>
  );
}
