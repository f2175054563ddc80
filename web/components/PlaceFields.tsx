// Township and village from the official lists of a county, typed with suggestions (a datalist:
// the browser filters as one types, 中文 included). The server checks the names again.
import { useId } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import type { Places } from '../state/counties.ts';

export function PlaceFields({
  places,
  township,
  village,
  onChange,
}: {
  places: Places | null;
  township: string;
  village: string;
  onChange: (place: { township: string; village: string }) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const townships = places?.townships ?? [];
  const chosen = townships.find((entry) => entry.name === township || entry.code === township);
  const unknownTownship = township !== '' && places !== null && !chosen;
  const unknownVillage = village !== '' && chosen !== undefined && !chosen.villages.some((entry) => entry.name === village || entry.code === village);
  return (
    <>
      <label>
        {t('township')}
        <input
          list={`${id}-townships`}
          value={township}
          placeholder={t('placeSearch')}
          onChange={(e) => onChange({ township: e.target.value, village: '' })}
          aria-invalid={unknownTownship}
        />
        <datalist id={`${id}-townships`}>
          {townships.map((entry) => (
            <option key={entry.code} value={entry.name} />
          ))}
        </datalist>
      </label>
      {unknownTownship && <p className="field-error">{t('townshipUnknown')}</p>}
      <label>
        {t('village')}
        <input
          list={`${id}-villages`}
          value={village}
          disabled={!chosen}
          placeholder={chosen ? t('placeSearch') : t('villageNeedsTownship')}
          onChange={(e) => onChange({ township, village: e.target.value })}
          aria-invalid={unknownVillage}
        />
        <datalist id={`${id}-villages`}>
          {chosen?.villages.map((entry) => (
            <option key={entry.code} value={entry.name} />
          ))}
        </datalist>
      </label>
      {unknownVillage && <p className="field-error">{t('villageUnknown')}</p>}
    </>
  );
}

/** False when a township or village typed is not in the lists (the form waits). */
export function placesValid(places: Places | null, township: string, village: string): boolean {
  if (!places) return township === '' && village === '';
  const chosen = places.townships.find((entry) => entry.name === township || entry.code === township);
  if (township !== '' && !chosen) return false;
  return village === '' || (chosen?.villages.some((entry) => entry.name === village || entry.code === village) ?? false);
}
