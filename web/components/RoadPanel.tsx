// Road segment detail: what and where, who answers for it, the plan task, the history with its
// photos; status moves (date, note, photos), editing with the version read, drawing its line.
import { ErrorLine } from './ErrorText.tsx';
import { useState } from 'react';
import { ROAD_STATUS_MOVES, type RoadSeverity, type RoadStatusCode } from '../../domain/statuses.ts';
import { countyLabel, roadStatusLabel, severityLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ROAD_STATUS_COLORS } from '../map/colors.ts';
import { useMoveRoad, useRoad, type RoadDetail } from '../state/roads.ts';
import { useSession } from '../state/session.tsx';
import { EventForm } from './EventForm.tsx';
import { GuardedButton } from './GuardedButton.tsx';
import { PhotoThumbs } from './PhotoThumbs.tsx';
import { ProvenanceSection } from './ProvenanceSection.tsx';
import { RoadEditForm } from './RoadEditForm.tsx';

/** The photo references among a move's evidence ("photo/REF"). */
const photoRefs = (evidence: readonly string[]) => evidence.filter((e) => e.startsWith('photo/')).map((e) => e.slice('photo/'.length));

export function RoadPanel({
  roadId,
  countyNames,
  onClose,
  onDraw,
  onError,
}: {
  roadId: number;
  countyNames: Record<string, string>;
  onClose: () => void;
  /** Draw (or redraw) the segment's line on the map. */
  onDraw: (road: RoadDetail) => void;
  onError: (error: unknown) => void;
}) {
  const { t, lang } = useI18n();
  const { deny } = useSession();
  const detail = useRoad(roadId);
  const moveRoad = useMoveRoad();
  const [moving, setMoving] = useState<RoadStatusCode | null>(null);
  const [editing, setEditing] = useState(false);
  const road = detail.data;
  const county = road?.properties.county ?? null;
  const countyText = (code: string | null) => (code ? countyLabel(code, countyNames[code] ?? code, lang) : t('roadUnassigned'));
  const lastDate = road?.events.reduce((last, e) => (e.date > last ? e.date : last), road.properties.reportedOn) ?? null;

  const move = async (to: RoadStatusCode, values: { date: string; note: string; photos: string[] }) => {
    try {
      await moveRoad({
        param: { id: String(roadId) },
        json: { to, date: values.date, note: values.note || null, evidence: values.photos.map((ref) => `photo/${ref}`) },
      });
      setMoving(null);
    } catch (caught) {
      onError(caught);
    }
  };

  return (
    <aside className="detail" aria-label={t('roadDetail')} data-testid="road-detail">
      <header>
        <h2>{road?.properties.roadName ?? t('roadDetail')}</h2>
        <button type="button" className="close" aria-label={t('close')} onClick={onClose}>
          ×
        </button>
      </header>
      {detail.loading && !road && <p className="muted">{t('loading')}</p>}
      <ErrorLine error={detail.error} />
      {road && (
        <>
          <p className="badges">
            <span className="status-badge" data-testid="road-status" style={{ background: ROAD_STATUS_COLORS[road.properties.status] }}>
              {roadStatusLabel(road.properties.status, lang)}
            </span>
            <span className={`source-badge ${road.properties.source}`}>{road.properties.source === 'demo' ? t('demoBadge') : t('realBadge')}</span>
            {!road.properties.drawn && <span className="source-badge">{t('roadUndrawn')}</span>}
          </p>
          <dl className="facts">
            <dt>{t('roadFromTo')}</dt>
            <dd>{[road.properties.fromDesc, road.properties.toDesc].filter(Boolean).join(' – ') || '—'}</dd>
            <dt>{t('severity')}</dt>
            <dd>{severityLabel(road.properties.severity as RoadSeverity, lang)}</dd>
            <dt>{t('county')}</dt>
            <dd data-testid="road-county">{countyText(county)}</dd>
            <dt>{t('responsibleUnit')}</dt>
            <dd>{road.properties.responsibleUnit ?? '—'}</dd>
            <dt>{t('deadline')}</dt>
            <dd>{road.properties.deadline ?? '—'}</dd>
            <dt>{t('roadTask')}</dt>
            <dd>
              {road.properties.task ? (
                <a href={`/?page=tasks${lang === 'en' ? '&lang=en' : ''}#task-${road.properties.task}`}>{t('taskNumber', { n: road.properties.task })}</a>
              ) : (
                '—'
              )}
            </dd>
            <dt>{t('roadReportedOn')}</dt>
            <dd>{road.properties.reportedOn}</dd>
            {road.properties.note && (
              <>
                <dt>{t('note')}</dt>
                <dd>{road.properties.note}</dd>
              </>
            )}
          </dl>
          <ProvenanceSection provenance={road.provenance} />

          <div className="actions">
            {ROAD_STATUS_MOVES[road.properties.status].map((to) => (
              <GuardedButton
                key={to}
                className="small"
                data-move={to}
                denied={deny('recordField', [county])}
                onClick={() => {
                  setEditing(false);
                  setMoving(to);
                }}
              >
                {t('roadMoveTo', { status: roadStatusLabel(to, lang) })}
              </GuardedButton>
            ))}
            <GuardedButton
              className="small"
              denied={deny('writeSites', [county])}
              onClick={() => {
                setMoving(null);
                setEditing(true);
              }}
            >
              {t('edit')}
            </GuardedButton>
            <GuardedButton className="small" denied={deny('writeSites', [county])} onClick={() => onDraw(road)}>
              {road.properties.drawn ? t('roadRedraw') : t('drawRoad')}
            </GuardedButton>
          </div>
          {moving && (
            <EventForm
              key={moving}
              title={t('roadMoveTo', { status: roadStatusLabel(moving, lang) })}
              lastDate={lastDate}
              submitLabel={t('confirm')}
              onSubmit={(values) => move(moving, values)}
              onCancel={() => setMoving(null)}
            />
          )}
          {editing && (
            <RoadEditForm road={road} onSaved={() => setEditing(false)} onReload={detail.reload} onCancel={() => setEditing(false)} onError={onError} />
          )}

          <h3>{t('history')}</h3>
          <ol className="timeline" data-testid="road-history">
            {road.events.map((event) => (
              <li key={`${event.kind}${event.id}`} data-kind={event.kind}>
                <span className="dot" style={{ background: event.to ? ROAD_STATUS_COLORS[event.to] : '#868e96' }} />
                <time>{event.date}</time>{' '}
                <b>
                  {event.kind === 'assignment'
                    ? t('roadAssigned', { from: countyText(event.fromCounty), to: countyText(event.toCounty) })
                    : event.kind === 'geometry'
                      ? t('roadDrawnEvent')
                      : roadStatusLabel(event.to!, lang)}
                </b>
                <div className="muted">
                  {t('actor')}: {event.actor}
                </div>
                {event.note && <div className="note">{event.note}</div>}
                <PhotoThumbs photos={photoRefs(event.evidence).map((ref) => ({ ref, label: t('eventPhotos') }))} />
              </li>
            ))}
          </ol>
        </>
      )}
    </aside>
  );
}
