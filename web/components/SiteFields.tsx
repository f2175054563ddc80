// The attributes of a site a person fills in, shared by the 新增点位 form and the edit form: name,
// category (+ sector for 散乱污企业), address, township/village, managing zone, deadline,
// responsible unit, note.
import { MANAGING_ZONES, SECTOR_CODES, type CategoryCode, type SectorCode } from '../../domain/categories.ts';
import { managingZoneLabel, sectorLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { Places } from '../state/counties.ts';
import { PlaceFields, placesValid } from './PlaceFields.tsx';
import { CategorySelect } from './CategorySelect.tsx';

export interface SiteFieldValues {
  name: string;
  category: CategoryCode;
  sector: SectorCode | '';
  address: string;
  township: string;
  village: string;
  managingZone: string;
  deadline: string;
  responsibleUnit: string;
  note: string;
}

export const EMPTY_SITE_FIELDS: SiteFieldValues = {
  name: '',
  category: 'scattered_firm',
  sector: '',
  address: '',
  township: '',
  village: '',
  managingZone: '',
  deadline: '',
  responsibleUnit: '',
  note: '',
};

/** The values as the API takes them (empty text as null; a sector only for 散乱污企业). */
export function siteFieldBody(values: SiteFieldValues) {
  const text = (value: string) => (value.trim() === '' ? null : value.trim());
  return {
    name: values.name.trim(),
    category: values.category,
    sector: values.category === 'scattered_firm' && values.sector ? values.sector : null,
    address: text(values.address),
    township: text(values.township),
    village: text(values.village),
    managingZone: text(values.managingZone) as (typeof MANAGING_ZONES)[number] | null,
    deadline: text(values.deadline),
    responsibleUnit: text(values.responsibleUnit),
    note: text(values.note),
  };
}

/** Whether the values can be sent: a name, and places from the lists. */
export function siteFieldsValid(values: SiteFieldValues, places: Places | null): boolean {
  return values.name.trim() !== '' && placesValid(places, values.township, values.village);
}

export function SiteFields({ values, places, onChange }: { values: SiteFieldValues; places: Places | null; onChange: (values: SiteFieldValues) => void }) {
  const { t, lang } = useI18n();
  const set = (patch: Partial<SiteFieldValues>) => onChange({ ...values, ...patch });
  return (
    <>
      <label>
        {t('siteName')}
        <input required value={values.name} onChange={(e) => set({ name: e.target.value })} />
      </label>
      <label>
        {t('category')}
        <CategorySelect value={values.category} onChange={(category: CategoryCode) => set({ category })} />
      </label>
      {values.category === 'scattered_firm' && (
        <label>
          {t('sector')}
          <select value={values.sector} onChange={(e) => set({ sector: e.target.value as SectorCode | '' })}>
            <option value="">{t('notGiven')}</option>
            {SECTOR_CODES.map((code) => (
              <option key={code} value={code}>
                {sectorLabel(code, lang)}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t('address')}
        <input value={values.address} onChange={(e) => set({ address: e.target.value })} />
      </label>
      <PlaceFields places={places} township={values.township} village={values.village} onChange={(place) => set(place)} />
      <label>
        {t('managingZone')}
        <select value={values.managingZone} onChange={(e) => set({ managingZone: e.target.value })}>
          <option value="">{t('notGiven')}</option>
          {MANAGING_ZONES.map((zone) => (
            <option key={zone} value={zone}>
              {managingZoneLabel(zone, lang)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('deadline')}
        <input type="date" value={values.deadline} onChange={(e) => set({ deadline: e.target.value })} />
      </label>
      <label>
        {t('responsibleUnit')}
        <input value={values.responsibleUnit} onChange={(e) => set({ responsibleUnit: e.target.value })} />
      </label>
      <label>
        {t('note')}
        <textarea rows={2} value={values.note} onChange={(e) => set({ note: e.target.value })} />
      </label>
    </>
  );
}
