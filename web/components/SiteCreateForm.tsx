// 新增点位: where (a click on the map, or coordinates typed or pasted — decimal or 度分秒, in WGS84,
// GCJ-02 from 高德/腾讯 or BD-09 from 百度, converted to WGS84 here as the server stores it), how sure
// (a click is 大致 unless the person says it was checked on site), then what. The county follows
// from the position and is shown before saving; a position outside the user's counties is refused
// here, before any request (the server checks again).
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { CRS_CODES, parsePosition, toWgs84, type Crs } from '../../domain/coordinates.ts';
import { useCreateSite } from '../state/sites.ts';
import { countyLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { describeError } from '../i18n/error-text.ts';
import { ErrorLine } from './ErrorText.tsx';
import type { MessageKey } from '../i18n/zh.ts';
import { useSession } from '../state/session.tsx';
import { usePlaces } from '../state/counties.ts';
import { campaignDay } from '../../domain/days.ts';
import { PrecisionChoice, type ChosenPrecision } from './PrecisionChoice.tsx';
import { FormActions } from './FormActions.tsx';
import { EMPTY_SITE_FIELDS, SiteFields, siteFieldBody, siteFieldsValid } from './SiteFields.tsx';

const CRS_LABELS: Record<Crs, MessageKey> = { wgs84: 'crsWgs84', gcj02: 'crsGcj02', bd09: 'crsBd09' };
const PARSE_ERRORS = {
  not_two_numbers: 'coordsNotTwo',
  not_a_coordinate: 'coordsNotCoordinate',
  outside_china: 'coordsOutsideChina',
} as const satisfies Record<string, MessageKey>;

export function SiteCreateForm({
  clicked,
  picking,
  locate,
  countyNames,
  onPick,
  onPosition,
  onCreated,
  onCancel,
}: {
  /** The WGS84 position last clicked on the map in this form's pick mode. */
  clicked: [number, number] | null;
  picking: boolean;
  locate: (lon: number, lat: number) => string | null;
  countyNames: Record<string, string>;
  onPick: () => void;
  /** The position the form now holds (the map marks it). */
  onPosition: (position: [number, number] | null) => void;
  onCreated: (id: number, position: [number, number]) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const { user, deny } = useSession();
  const [text, setText] = useState('');
  const [crs, setCrs] = useState<Crs>('gcj02');
  const [from, setFrom] = useState<'text' | 'click'>(clicked ? 'click' : 'text');
  const [precision, setPrecision] = useState<ChosenPrecision>(clicked ? 'approximate' : 'exact');
  const [values, setValues] = useState(EMPTY_SITE_FIELDS);
  const [discoveredOn, setDiscoveredOn] = useState(campaignDay());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  // A click on the map replaces typed coordinates, and is 大致 until said otherwise (state adjusted
  // while rendering when the click changes, as React advises, rather than in an effect).
  const [seenClick, setSeenClick] = useState(clicked);
  if (clicked !== seenClick) {
    setSeenClick(clicked);
    if (clicked) {
      setFrom('click');
      setPrecision('approximate');
      setText('');
    }
  }

  const parsed = from === 'text' && text.trim() ? parsePosition(text) : null;
  const position: [number, number] | null = from === 'click' ? clicked : parsed?.ok ? toWgs84(crs, parsed.lon, parsed.lat) : null;
  const county = position ? locate(position[0], position[1]) : null;
  const countyDenied = county ? deny('writeSites', [county]) : null;
  const places = usePlaces(county);
  const createSite = useCreateSite();
  // The two numbers say when the position moved (the array is new each render).
  const lon = position?.[0] ?? null;
  const lat = position?.[1] ?? null;
  const tellPosition = useRef(onPosition);
  useLayoutEffect(() => {
    tellPosition.current = onPosition;
  });
  useEffect(() => tellPosition.current(lon === null || lat === null ? null : [lon, lat]), [lon, lat]);

  const ready = position !== null && county !== null && countyDenied === null && siteFieldsValid(values, places.data) && discoveredOn <= campaignDay();
  const submit = async () => {
    if (!ready || !position) return;
    setBusy(true);
    setError(null);
    try {
      const created = await createSite({ json: { ...siteFieldBody(values), lon: position[0], lat: position[1], precision, discoveredOn } });
      onCreated(created.id, position);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <aside className="detail" aria-label={t('createSite')} data-testid="site-create">
      <header>
        <h2>{t('createSite')}</h2>
        <button type="button" className="close" aria-label={t('close')} onClick={onCancel}>
          ×
        </button>
      </header>
      <form
        className="site-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <fieldset>
          <legend>{t('createWhere')}</legend>
          <button type="button" className="small" aria-pressed={picking} onClick={onPick}>
            {picking ? t('createPickingHint') : t('createPick')}
          </button>
          <label>
            {t('coordsPaste')}
            <input
              value={text}
              placeholder="114.0231,33.5812 · 33°34′52″N 114°01′23″E"
              onChange={(e) => {
                setText(e.target.value);
                setFrom('text');
                setPrecision('exact');
              }}
            />
          </label>
          <label>
            {t('coordsSystem')}
            <select value={crs} onChange={(e) => setCrs(e.target.value as Crs)}>
              {CRS_CODES.map((code) => (
                <option key={code} value={code}>
                  {t(CRS_LABELS[code])}
                </option>
              ))}
            </select>
          </label>
          {parsed && !parsed.ok && <p className="field-error">{t(PARSE_ERRORS[parsed.reason])}</p>}
          {parsed?.ok && parsed.swapped && <p className="muted">{t('coordsLatFirst')}</p>}
          {position && (
            <p data-testid="create-position">
              {t('createAt', { lon: position[0].toFixed(6), lat: position[1].toFixed(6) })}
              <br />
              {county ? (
                <b data-testid="create-county">{t('createCounty', { county: countyLabel(county, countyNames[county] ?? county, lang) })}</b>
              ) : (
                <span className="field-error">{describeError({ code: 'outside_counties', details: {} }, lang)}</span>
              )}
            </p>
          )}
          {countyDenied && (
            <p className="field-error" role="alert" data-testid="create-county-refused">
              {countyDenied}
            </p>
          )}
          {position && <PrecisionChoice value={precision} onChange={setPrecision} />}
          {user.counties.length > 0 && !position && (
            <p className="muted">
              {t('createOwnCounties', { counties: user.counties.map((code) => countyLabel(code, countyNames[code] ?? code, lang)).join('、') })}
            </p>
          )}
        </fieldset>
        <SiteFields values={values} places={places.data} onChange={setValues} />
        <label>
          {t('discoveredOn')}
          <input type="date" required value={discoveredOn} max={campaignDay()} onChange={(e) => setDiscoveredOn(e.target.value)} />
        </label>
        <ErrorLine error={error} />
        <FormActions label={t('createSave')} ready={ready} busy={busy} onCancel={onCancel} />
      </form>
    </aside>
  );
}
