// A category drop-down in the reader's language; with `noneLabel`, a first option for "any category".
import { CATEGORY_CODES, type CategoryCode } from '../../domain/categories.ts';
import { categoryLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';

export function CategorySelect<V extends CategoryCode | ''>({ value, noneLabel, onChange }: { value: V; noneLabel?: string; onChange: (value: V) => void }) {
  const { lang } = useI18n();
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as V)}>
      {noneLabel !== undefined && <option value="">{noneLabel}</option>}
      {CATEGORY_CODES.map((code) => (
        <option key={code} value={code}>
          {categoryLabel(code, lang)}
        </option>
      ))}
    </select>
  );
}
