// Site detail: what it is, where, how sure we are of the place, its plan tasks, history (with the
// proof of each move: who, when, note, checklist, photos) and inspections; and the writes a person
// may make on it — edit, status moves, place on the map — each disabled with the reason otherwise.
import { campaignTime } from '../../domain/days.ts';
import type { CategoryCode, SectorCode } from '../../domain/categories.ts';
import { useState } from 'react';
import { readEvidence } from '../../domain/evidence.ts';
import type { ClosureChecklistItem, StatusCode } from '../../domain/statuses.ts';
import { categoryLabel, checklistLabel, countyLabel, inspectionResultLabel, sectorLabel, statusLabel } from '../i18n/code-labels.ts';
import { ErrorLine } from './ErrorText.tsx';
import { eventNote } from '../i18n/event-note.ts';
import { PhotoThumbs } from './PhotoThumbs.tsx';
import { ProvenanceSection } from './ProvenanceSection.tsx';
import { SiteEditForm } from './SiteEditForm.tsx';
import { SiteMoves } from './SiteMoves.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useSession } from '../state/session.tsx';
import { GuardedButton } from './GuardedButton.tsx';
import { STATUS_BADGE_TEXT, STATUS_COLORS } from '../map/colors.ts';
import { useSite } from '../state/sites.ts';

/** One line of the facts list; nothing when there is no value. */
function Fact({ label, value }: { label: string; value: string | null | false | undefined }) {
  if (!value) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}

export function SitePanel({
  siteId,
  onClose,
  onPlace,
  onAddToRoute,
  inRoute,
}: {
  siteId: number;
  onClose: () => void;
  onPlace: (id: number) => void;
  onAddToRoute?: (id: number) => void;
  inRoute?: boolean;
}) {
  const { t, lang } = useI18n();
  const { deny } = useSession();
  const detail = useSite(siteId);
  const site = detail.data ?? undefined;
  const [editing, setEditing] = useState(false);
  const lastDate = site?.events.reduce<string | null>((last, event) => (last === null || event.date > last ? event.date : last), null) ?? null;
  const writeDenied = site ? deny('writeSites', [site.properties.county]) : null;
  return (
    <aside className="detail" aria-label={t('detail')} data-testid="site-detail">
      <header>
        <h2>{site?.properties.name ?? t('detail')}</h2>
        <button type="button" className="close" aria-label={t('close')} onClick={onClose}>
          ×
        </button>
      </header>
      {detail.loading && !site && <p className="muted">{t('loading')}</p>}
      <ErrorLine error={detail.error} />
      {site && (
        <>
          <p className="badges">
            <span
              className="status-badge"
              style={{ background: STATUS_COLORS[site.properties.status as StatusCode], color: STATUS_BADGE_TEXT[site.properties.status as StatusCode] }}
            >
              {statusLabel(site.properties.status as StatusCode, lang)}
            </span>
            <span className={`source-badge ${site.properties.source}`}>{site.properties.source === 'demo' ? t('demoBadge') : t('realBadge')}</span>
            <GuardedButton className="small" denied={writeDenied} aria-pressed={editing} onClick={() => setEditing((open) => !open)}>
              {t('editSite')}
            </GuardedButton>
            {onAddToRoute && site.geometry && (
              <button type="button" className="small" disabled={inRoute} onClick={() => onAddToRoute(site.id)}>
                {inRoute ? t('routeAdded') : t('routeAdd')}
              </button>
            )}
          </p>
          {editing && (
            <SiteEditForm
              key={site.properties.version}
              site={site}
              onCancel={() => setEditing(false)}
              onSaved={() => {
                setEditing(false);
                // After 采用当前记录 (a 409) nothing was written here: read the site again.
                detail.reload();
              }}
            />
          )}
          <dl className="facts">
            <dt>{t('category')}</dt>
            <dd>{categoryLabel(site.properties.category as CategoryCode, lang)}</dd>
            <Fact label={t('sector')} value={site.properties.sector && sectorLabel(site.properties.sector as SectorCode, lang)} />
            <dt>{t('county')}</dt>
            <dd>{countyLabel(site.properties.county, site.properties.countyName, lang)}</dd>
            <Fact label={t('township')} value={site.properties.townshipName} />
            <Fact label={t('village')} value={site.properties.villageName} />
            <Fact label={t('address')} value={site.properties.address} />
            <Fact label={t('managingZone')} value={site.properties.managingZone} />
            <dt>{t('precision')}</dt>
            <dd className={`precision ${site.properties.precision}`}>
              {site.properties.precision === 'exact'
                ? t('precisionExact')
                : site.properties.precision === 'approximate'
                  ? t('precisionApproximate')
                  : t('precisionUnlocated')}
              {site.properties.precision === 'unlocated' && (
                <GuardedButton className="small" denied={deny('writeSites', [site.properties.county])} onClick={() => onPlace(site.id)}>
                  {t('placeOnMap')}
                </GuardedButton>
              )}
            </dd>
            <dt>{t('discoveredOn')}</dt>
            <dd>{site.properties.discoveredOn}</dd>
            <Fact label={t('deadline')} value={site.properties.deadline} />
            <Fact label={t('responsibleUnit')} value={site.properties.responsibleUnit} />
            <Fact label={t('note')} value={site.note} />
          </dl>
          <ProvenanceSection provenance={site.provenance} />

          <SiteMoves
            siteId={site.id}
            status={site.properties.status as StatusCode}
            category={site.properties.category as CategoryCode}
            county={site.properties.county}
            lastDate={lastDate}
          />

          <h3>{t('tasks')}</h3>
          <ul className="tasks">
            {site.tasks.map((task) => (
              <li key={task.number} title={task.problem}>
                <b>{t('taskNumber', { n: task.number })}</b> {task.problem.slice(0, 40)}…
              </li>
            ))}
          </ul>

          <h3>{t('history')}</h3>
          <ol className="timeline" data-testid="site-history">
            {site.events.map((event) => (
              <li key={event.id}>
                <span className="dot" style={{ background: STATUS_COLORS[event.to as StatusCode] }} />
                <time>{event.date}</time> <b>{event.kind === 'location' ? t('locationEvent') : statusLabel(event.to as StatusCode, lang)}</b>
                <div className="muted">
                  {t('actor')}: {event.actor} · {t('recordedAt', { at: campaignTime(event.createdAt) })}
                </div>
                {eventNote(event, lang) && <div className="note">{eventNote(event, lang)}</div>}
                <EventProof checklist={event.checklist} evidence={event.evidence} />
              </li>
            ))}
          </ol>

          <h3>{t('inspections')}</h3>
          {site.inspections.length === 0 ? (
            <p className="muted">{t('noInspections')}</p>
          ) : (
            <ul className="inspections">
              {site.inspections.map((inspection) => (
                <li key={inspection.id}>
                  <time>{inspection.date}</time> {inspection.inspector} — {inspectionResultLabel(inspection.result, lang)}
                  {inspection.note && <div className="note">{inspection.note}</div>}
                  {inspection.photo && <PhotoThumbs photos={[{ ref: inspection.photo, label: t('routePhoto') }]} />}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </aside>
  );
}

/** What a move proves: the checklist items ticked, as words, and its photos (per item or for the move). */
function EventProof({ checklist, evidence }: { checklist: Record<string, boolean> | null; evidence: unknown }) {
  const { t, lang } = useI18n();
  const ticked = Object.entries(checklist ?? {})
    .filter(([, done]) => done)
    .map(([item]) => item as ClosureChecklistItem);
  const { photos, references } = readEvidence(evidence);
  return (
    <>
      {ticked.length > 0 && (
        <ul className="checklist-done" aria-label={t('closureChecklist')}>
          {ticked.map((item) => (
            <li key={item}>✓ {checklistLabel(item, lang)}</li>
          ))}
        </ul>
      )}
      <PhotoThumbs photos={photos.map((photo) => ({ ref: photo.ref, label: photo.item ? checklistLabel(photo.item, lang) : t('eventPhoto') }))} />
      {references.length > 0 && <div className="muted">{t('evidenceReferences', { refs: references.join('、') })}</div>}
    </>
  );
}
