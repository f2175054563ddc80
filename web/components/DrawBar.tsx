// The bar over the map while drawing an urban core or a road line: the hint while clicking vertices;
// once a double-click ends the shape (which stays on the map, its vertices draggable), the form that
// names the core or says where the road lies and which county answers for it. Undo steps back a
// vertex or an edit; cancel drops the shape.
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { countyLabel } from '../i18n/code-labels.ts';
import { lineCounties } from '../map/line-county.ts';
import type { CountyFeatureCollection } from '../map/map-controller.ts';
import { useSession } from '../state/session.tsx';
import { GuardedButton } from './GuardedButton.tsx';

export interface DrawnRoad {
  id: number;
  roadName: string;
  /** The county answering for it (null: the plan names none yet). */
  county: string | null;
}

type Target =
  { kind: 'core'; onSave: (name: string) => Promise<void> } | { kind: 'within' } | { kind: 'road'; road: DrawnRoad; onSave: (county: string) => Promise<void> };

export function DrawBar({
  target,
  shape,
  counties,
  onUndo,
  onCancel,
}: {
  target: Target;
  shape: [number, number][] | null;
  counties: CountyFeatureCollection | null;
  onUndo: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const hint =
    target.kind === 'core' ? t('siegeDrawHint') : target.kind === 'within' ? t('routeWithinHint') : t('drawRoadHint', { road: target.road.roadName });
  return (
    <div className="mode-bar draw-bar" role="group" aria-label={t('drawing')} data-testid="draw-bar">
      {!shape && <span role="status">{hint}</span>}
      {shape && target.kind === 'core' && <CoreNameForm onSave={target.onSave} />}
      {shape && target.kind === 'road' && counties && <RoadCountyForm road={target.road} line={shape} counties={counties} onSave={target.onSave} />}
      <button type="button" onClick={onUndo}>
        {t('undo')}
      </button>
      <button type="button" onClick={onCancel}>
        {t('cancel')}
      </button>
    </div>
  );
}

function CoreNameForm({ onSave }: { onSave: (name: string) => Promise<void> }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  // The form appears because the user just finished the drawing (double-click): the next thing to do is name it.
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <form
      className="draw-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) void onSave(name.trim());
      }}
    >
      <label>
        {t('siegeCoreName')} <input ref={input} required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <span className="muted">{t('drawEditHint')}</span>
      <button type="submit">{t('save')}</button>
    </form>
  );
}

function RoadCountyForm({
  road,
  line,
  counties,
  onSave,
}: {
  road: DrawnRoad;
  line: [number, number][];
  counties: CountyFeatureCollection;
  onSave: (county: string) => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const { user, deny } = useSession();
  const where = lineCounties(counties, line);
  const name = (code: string | null) =>
    code ? countyLabel(code, counties.features.find((f) => f.properties.code === code)?.properties.name ?? code, lang) : t('drawOutside');
  // Who may answer for it: a county official only their own counties.
  const choices = counties.features.map((f) => f.properties.code).filter((code) => deny('writeSites', [code]) === null);
  const [chosen, setChosen] = useState<string>(road.county ?? (where.midpoint && choices.includes(where.midpoint) ? where.midpoint : (choices[0] ?? '')));
  const outside = where.midpoint === null || where.vertices.includes(null);
  const denied = outside ? t('drawOutsideCounties') : deny('writeSites', [road.county, where.midpoint, ...where.vertices, chosen]);
  return (
    <form
      className="draw-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!denied && chosen) void onSave(chosen);
      }}
    >
      <b>{road.roadName}</b>
      <span data-testid="draw-line-county">{t('drawLineIn', { county: name(where.midpoint) })}</span>
      <label>
        {t('drawResponsible')}
        <select value={chosen} onChange={(e) => setChosen(e.target.value)} data-testid="draw-responsible">
          {choices.map((code) => (
            <option key={code} value={code}>
              {name(code)}
            </option>
          ))}
        </select>
      </label>
      {road.county === null && <span className="muted">{t('drawAssignNote', { user: user.username })}</span>}
      {chosen !== (road.county ?? chosen) && <span className="muted">{t('drawReassignNote', { from: name(road.county), to: name(chosen) })}</span>}
      {denied && (
        <span className="field-error" role="alert">
          {denied}
        </span>
      )}
      <GuardedButton type="submit" denied={denied}>
        {t('save')}
      </GuardedButton>
    </form>
  );
}
