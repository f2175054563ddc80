// 巡查路线: choose stops by rule, plan a short route, take it into the field (navigation links, an
// A4 sheet, GPX/KML), save and share it, and record each stop's result.
import { campaignDay } from '../../domain/days.ts';
import { useState } from 'react';
import type { CategoryCode } from '../../domain/categories.ts';
import { canMove, isStatus, RESOLVED_STATUSES, type StatusCode } from '../../domain/statuses.ts';
import { uploadPhoto } from '../api/photos.ts';
import { planRoute as planRequest, useRecordInspection, useSaveRoute, type RecordedStop, type RoutePlan } from '../state/routes.ts';
import { useSession } from '../state/session.tsx';
import { GuardedButton } from './GuardedButton.tsx';
import { categoryLabel, INSPECTION_RESULT_MESSAGES, inspectionResultLabel, statusLabel, type InspectionResultCode } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { CountySelect } from './CountySelect.tsx';
import { FieldError, namesField } from './ErrorText.tsx';

/** The plan's fields that have an input here: their refusals show beside the input, not in the banner. */
const ROUTE_FIELDS = [
  'rule.olderThanDays',
  'rule.perCounty',
  'rule.seed',
  'perCounty',
  'seed',
  'options.speedKmh',
  'options.minutesPerStop',
  'speedKmh',
  'minutesPerStop',
] as const;
import { CategorySelect } from './CategorySelect.tsx';

export type { RoutePlan };
type RuleKind = 'recheck' | 'relapsed' | 'sample' | 'hand';

const RULE_LABELS = { recheck: 'routeRuleRecheck', relapsed: 'routeRuleRelapsed', sample: 'routeRuleSample', hand: 'routeRuleHand' } as const;

/**
 * The results offered at a stop. 与记录一致 means the site is as its record says it was dealt with, so it is
 * offered only at a stop whose status is one of those (RESOLVED_STATUSES); at a site still open, the
 * inspector says what was found (仍在生产经营…). 死灰复燃 moves the site to relapsed, so it is offered only
 * where that move is allowed (a site already relapsed, or never dealt with, is found 仍在生产经营).
 */
function resultsFor(status: string): InspectionResultCode[] {
  const all = Object.keys(INSPECTION_RESULT_MESSAGES) as InspectionResultCode[];
  const known = isStatus(status);
  return all.filter((code) => {
    if (code === 'closed_as_recorded') return known && RESOLVED_STATUSES.includes(status);
    if (code === 'relapsed') return known && canMove(status, 'relapsed');
    return true;
  });
}

export interface RoutePanelProps {
  start: [number, number];
  counties: { code: string; name: string }[];
  /** Sites added by hand (from a site's detail); removable here. */
  handPicked: number[];
  onHandPicked: (ids: number[]) => void;
  /** A polygon drawn on the map that the stops must lie in. */
  within: [number, number][] | null;
  onDrawWithin: () => void;
  onClearWithin: () => void;
  onPickStart: () => void;
  plan: RoutePlan | null;
  savedId: number | null;
  /** Results already recorded on the saved route (by anyone), the last per site. */
  recordedOnRoute: readonly RecordedStop[];
  onPlan: (plan: RoutePlan | null, savedId: number | null) => void;
  onOpenSite: (id: number) => void;
  onError: (error: unknown) => void;
}

export function RoutePanel({
  start,
  counties,
  handPicked,
  onHandPicked,
  within,
  onDrawWithin,
  onClearWithin,
  onPickStart,
  plan,
  savedId,
  recordedOnRoute,
  onPlan,
  onOpenSite,
  onError,
}: RoutePanelProps) {
  const { t, lang } = useI18n();
  const { deny, user } = useSession();
  const [kind, setKind] = useState<RuleKind>('recheck');
  const [days, setDays] = useState('180');
  const [perCounty, setPerCounty] = useState('3');
  const [seed, setSeed] = useState('');
  const [returnToStart, setReturnToStart] = useState(true);
  // An inspector or county official plans in their own county first (they record results only there).
  const [county, setCounty] = useState(() => user.counties[0] ?? '');
  const [category, setCategory] = useState<CategoryCode | ''>('');
  const [speedKmh, setSpeedKmh] = useState('30');
  const [minutesPerStop, setMinutesPerStop] = useState('20');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [recordedHere, setRecordedHere] = useState<Record<number, StopRecord>>({});
  const recorded: Record<number, StopRecord> = { ...Object.fromEntries(recordedOnRoute.map((r) => [r.siteId, r])), ...recordedHere };
  const [planError, setPlanError] = useState<unknown>(null);
  const saveRoute = useSaveRoute();
  const recordInspection = useRecordInspection();

  const run = async (siteIds: number[] = handPicked, useRule = kind !== 'hand') => {
    setBusy(true);
    try {
      const filter = { ...(county ? { counties: [county] } : {}), ...(category ? { categories: [category] } : {}) };
      const rule =
        kind === 'recheck'
          ? { kind, olderThanDays: Number(days), ...filter }
          : kind === 'relapsed'
            ? { kind, ...filter }
            : { kind: 'sample' as const, perCounty: Number(perCounty), ...(seed.trim() ? { seed: Number(seed) } : {}), ...filter };
      const result = await planRequest({
        ...(useRule ? { rule } : {}),
        ...(siteIds.length ? { siteIds } : {}),
        ...(within && useRule ? { within: { type: 'Polygon' as const, coordinates: [within] } } : {}),
        start: { lon: start[0], lat: start[1] },
        ...(returnToStart ? { end: 'start' as const } : {}),
        options: { speedKmh: Number(speedKmh), minutesPerStop: Number(minutesPerStop) },
      });
      onPlan(result, null);
      setRecordedHere({});
      setPlanError(null);
    } catch (error) {
      // No old route under a refusal: the plan goes, the reason shows by its field (or in the banner).
      onPlan(null, null);
      if (namesField(error, ROUTE_FIELDS)) setPlanError(error);
      else {
        setPlanError(null);
        onError(error);
      }
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    if (!plan || !name.trim()) return;
    try {
      const saved = await saveRoute({ name: name.trim(), plan });
      onPlan(plan, saved.id);
    } catch (error) {
      onError(error);
    }
  };

  const record = async (siteId: number, result: InspectionResultCode, note: string, photo: File | null) => {
    const position = await new Promise<GeolocationPosition | null>((resolve) =>
      navigator.geolocation ? navigator.geolocation.getCurrentPosition(resolve, () => resolve(null), { timeout: 5000 }) : resolve(null),
    );
    try {
      // The photo goes up first as its own body (an image, not JSON); the inspection keeps its reference.
      const photoRef = photo ? await uploadPhoto(photo) : null;
      const date = campaignDay();
      await recordInspection({
        siteId,
        date,
        result,
        note: note || null,
        photo: photoRef,
        recordedAt: new Date().toISOString(),
        ...(position ? { lon: position.coords.longitude, lat: position.coords.latitude } : {}),
        ...(savedId ? { routeId: savedId } : {}),
      });
      setRecordedHere((previous) => ({ ...previous, [siteId]: { result, date, inspector: user.username } }));
    } catch (error) {
      onError(error);
    }
  };

  /** Drops a stop and re-plans the rest as chosen by hand. */
  const remove = (siteId: number) => {
    const rest = (plan?.stops ?? []).map((s) => s.siteId).filter((id) => id !== siteId);
    onHandPicked(handPicked.filter((id) => id !== siteId));
    if (rest.length) void run(rest, false);
    else onPlan(null, null);
  };

  const hours = plan ? Math.floor(plan.minutes / 60) : 0;
  return (
    <div className="route-panel" data-testid="route-panel">
      <section className="no-print">
        <h2>{t('routeRule')}</h2>
        {(['recheck', 'relapsed', 'sample', 'hand'] as const).map((option) => (
          <label key={option} className="field inline">
            <input type="radio" name="rule" checked={kind === option} onChange={() => setKind(option)} />
            {t(RULE_LABELS[option])}
          </label>
        ))}
        <div className="row">
          <label className="field">
            {t('counties')}
            <CountySelect value={county} counties={counties} noneLabel={t('allCounties')} onChange={setCounty} />
          </label>
          <label className="field">
            {t('categories')}
            <CategorySelect value={category} noneLabel={t('allCategories')} onChange={setCategory} />
          </label>
        </div>
        <p className="muted">
          {t('routeHandPicked', { n: handPicked.length })}{' '}
          {handPicked.length > 0 && (
            <button type="button" className="link" onClick={() => onHandPicked([])}>
              {t('routeClearHand')}
            </button>
          )}
        </p>
        <p>
          {within ? t('routeWithinSet') : t('routeWithinNone')}{' '}
          <button type="button" className="small" onClick={onDrawWithin}>
            {t('routeDrawWithin')}
          </button>
          {within && (
            <button type="button" className="link" onClick={onClearWithin}>
              {t('routeClearWithin')}
            </button>
          )}
        </p>
        {kind === 'recheck' && (
          <label className="field">
            {t('routeDays')} <input type="number" min={0} value={days} onChange={(e) => setDays(e.target.value)} />
            <FieldError error={planError} field="rule.olderThanDays" />
          </label>
        )}
        {kind === 'sample' && (
          <div className="row">
            <label className="field">
              {t('routePerCounty')} <input type="number" min={1} value={perCounty} onChange={(e) => setPerCounty(e.target.value)} />
              <FieldError error={planError} field={['rule.perCounty', 'perCounty']} />
            </label>
            <label className="field">
              {t('routeSeed')} <input inputMode="numeric" value={seed} onChange={(e) => setSeed(e.target.value)} />
              <FieldError error={planError} field={['rule.seed', 'seed']} />
            </label>
          </div>
        )}
        <p>
          {t('routeStart')}: {start[0].toFixed(4)}, {start[1].toFixed(4)}{' '}
          <button type="button" className="small" onClick={onPickStart}>
            {t('routeStartPick')}
          </button>
        </p>
        <label className="field inline">
          <input type="checkbox" checked={returnToStart} onChange={(e) => setReturnToStart(e.target.checked)} />
          {t('routeReturn')}
        </label>
        <div className="row">
          <label className="field">
            {t('routeSpeed')} <input type="number" min={1} value={speedKmh} onChange={(e) => setSpeedKmh(e.target.value)} />
            <FieldError error={planError} field={['options.speedKmh', 'speedKmh']} />
          </label>
          <label className="field">
            {t('routeMinutesPerStop')} <input type="number" min={0} value={minutesPerStop} onChange={(e) => setMinutesPerStop(e.target.value)} />
            <FieldError error={planError} field={['options.minutesPerStop', 'minutesPerStop']} />
          </label>
        </div>
        <GuardedButton
          className="primary"
          denied={deny('planRoutes')}
          disabled={busy || (kind === 'hand' && handPicked.length === 0)}
          onClick={() => void run()}
        >
          {busy ? t('loading') : t('routePlan')}
        </GuardedButton>
      </section>
      {plan && (
        <section className="route-result">
          <h2 className="print-only">{t('routeSheetTitle')}</h2>
          <p data-testid="route-total">
            <b>{t('routeStops', { n: plan.stops.length })}</b> · {t('routeTotal', { km: plan.totalKm.toFixed(1), h: hours, m: plan.minutes - hours * 60 })}
          </p>
          <p className="muted">
            {t('routeDistanceModel')}: {plan.distanceModel[lang]}
          </p>
          {plan.sample && <p className="muted">{t('routeSample', { seed: plan.sample.seed, k: plan.sample.perCounty })}</p>}
          <div className="no-print">
            <label className="field">
              {t('routeName')} <input value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <GuardedButton className="small" denied={deny('planRoutes')} disabled={!name.trim()} onClick={() => void save()}>
              {t('routeSave')}
            </GuardedButton>
            {savedId && (
              <>
                <span className="muted"> {t('routeSaved')}</span>
                <a className="small" href={`/api/routes/${savedId}.gpx`} download>
                  {t('routeGpx')}
                </a>
                <a className="small" href={`/api/routes/${savedId}.kml`} download>
                  {t('routeKml')}
                </a>
              </>
            )}
            <button type="button" className="small" onClick={() => window.print()}>
              {t('routePrint')}
            </button>
          </div>
          <ol className="route-stops">
            {plan.stops.map((stop) => (
              <li key={stop.siteId} data-site={stop.siteId}>
                <div>
                  <b>{stop.seq}.</b>{' '}
                  <button type="button" className="link" onClick={() => onOpenSite(stop.siteId)}>
                    {stop.name}
                  </button>{' '}
                  <span className="muted">+{stop.legKm.toFixed(1)} km</span>{' '}
                  <button type="button" className="link no-print" aria-label={t('routeRemove')} title={t('routeRemove')} onClick={() => remove(stop.siteId)}>
                    ×
                  </button>
                </div>
                <div className="muted">
                  {categoryLabel(stop.category as CategoryCode, lang)} · {statusLabel(stop.status as StatusCode, lang)} · {stop.address ?? ''} ·{' '}
                  {t('routeLastInspection')}: {stop.lastInspection ?? t('routeNever')}
                </div>
                <div className="no-print">
                  {t('routeNavigate')}:{' '}
                  <a href={stop.navigate.amap} target="_blank" rel="noreferrer">
                    {t('routeAmap')}
                  </a>{' '}
                  <a href={stop.navigate.baidu} target="_blank" rel="noreferrer">
                    {t('routeBaidu')}
                  </a>
                </div>
                <StopResult
                  county={stop.county}
                  status={stop.status}
                  recorded={recorded[stop.siteId]}
                  onRecord={(result, note, photo) => void record(stop.siteId, result, note, photo)}
                />
                <div className="print-only sheet-blank">{t('routeSheetResult')}: ____________________________</div>
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}

/** What a stop shows once its result is recorded. */
type StopRecord = Pick<RecordedStop, 'result' | 'date' | 'inspector'>;

function StopResult({
  recorded,
  county,
  status,
  onRecord,
}: {
  recorded: StopRecord | undefined;
  county: string;
  /** The site's status when the route was planned. */
  status: string;
  onRecord: (result: InspectionResultCode, note: string, photo: File | null) => void;
}) {
  const { t, lang } = useI18n();
  const { deny } = useSession();
  const denied = deny('recordField', [county]);
  // No result chosen at first: a default (it was 与记录一致（已关停）) let one hurried tap record a
  // finding the inspector never made, even for a relapsed site.
  const [result, setResult] = useState<InspectionResultCode | ''>('');
  const [note, setNote] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  if (recorded)
    return (
      <div className="recorded">
        ✓ {t('routeRecordedBy', { result: inspectionResultLabel(recorded.result, lang), date: recorded.date, inspector: recorded.inspector })}
      </div>
    );
  return (
    <div className="stop-result no-print">
      <select aria-label={t('routeResult')} value={result} onChange={(e) => setResult(e.target.value as typeof result)}>
        <option value="" disabled>
          {t('routeResultChoose')}
        </option>
        {resultsFor(status).map((code) => (
          <option key={code} value={code}>
            {inspectionResultLabel(code, lang)}
          </option>
        ))}
      </select>
      <input aria-label={t('note')} placeholder={t('note')} value={note} onChange={(e) => setNote(e.target.value)} />
      <label className="photo" title={t('routePhoto')}>
        {/* Drawn, not an emoji: government PCs often lack an emoji font. */}
        <svg aria-hidden="true" width="16" height="14" viewBox="0 0 16 14" className="camera-icon">
          <path
            d="M5.5 1h5l1.2 2H14a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H2a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h2.3z"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.4"
            strokeLinejoin="round"
          />
          <circle cx="8" cy="7.8" r="2.7" fill="none" stroke="currentColor" strokeWidth="1.4" />
        </svg>{' '}
        {t('routePhotoButton')}
        <input
          type="file"
          accept="image/jpeg,image/png,image/webp"
          capture="environment"
          aria-label={t('routePhoto')}
          onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
        />
      </label>
      <GuardedButton
        className="small"
        denied={denied}
        disabled={result === ''}
        title={result === '' ? t('routeResultChoose') : undefined}
        onClick={() => result !== '' && onRecord(result, note, photo)}
      >
        {t('routeRecord')}
      </GuardedButton>
    </div>
  );
}
