// How sure a position is, asked whenever a person sets one: 精确（现场核实） or 大致（按村或估计）.
import { useId } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

export type ChosenPrecision = 'exact' | 'approximate';

export function PrecisionChoice({ value, onChange }: { value: ChosenPrecision; onChange: (value: ChosenPrecision) => void }) {
  const { t } = useI18n();
  const name = useId();
  return (
    <fieldset className="precision-choice" data-testid="precision-choice">
      <legend>{t('precision')}</legend>
      <label>
        <input type="radio" name={name} checked={value === 'exact'} onChange={() => onChange('exact')} />
        {t('precisionChoiceExact')}
      </label>
      <label>
        <input type="radio" name={name} checked={value === 'approximate'} onChange={() => onChange('approximate')} />
        {t('precisionChoiceApproximate')}
      </label>
    </fieldset>
  );
}
