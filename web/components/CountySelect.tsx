// A county drop-down with a first "none" option (the whole city, or "choose a county"), names in the page's language.
import { countyLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';

export function CountySelect({
  value,
  counties,
  noneLabel,
  onChange,
  testId,
}: {
  value: string;
  counties: readonly { code: string; name: string }[];
  noneLabel: string;
  onChange: (code: string) => void;
  testId?: string;
}) {
  const { lang } = useI18n();
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">{noneLabel}</option>
      {counties.map((c) => (
        <option key={c.code} value={c.code}>
          {countyLabel(c.code, c.name, lang)}
        </option>
      ))}
    </select>
  );
}
