// The status moves a site may make next (domain/statuses.ts STATUS_MOVES), as buttons with the
// status words; each opens the event form. 已取缔 asks for the 两断三清 checklist, each item
// ticked and optionally with its photo; the confirm button waits until every item is ticked.
// 已撤销（误录） (voided) is offered to admins only and asks for the reason.
import { useState } from 'react';
import type { CategoryCode } from '../../domain/categories.ts';
import { photoEvidence, type EvidencePhoto } from '../../domain/evidence.ts';
import { STATUS_MOVES, VOIDED, closureChecklistFor, type ClosureChecklistItem, type StatusCode } from '../../domain/statuses.ts';
import { uploadPhoto } from '../api/photos.ts';
import { useMoveSite } from '../state/sites.ts';
import { checklistLabel, statusLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { STATUS_COLORS } from '../map/colors.ts';
import { useSession } from '../state/session.tsx';
import { EventForm, PHOTO_TYPES } from './EventForm.tsx';
import { ErrorLine } from './ErrorText.tsx';
import { GuardedButton } from './GuardedButton.tsx';

export function SiteMoves({
  siteId,
  status,
  category,
  county,
  lastDate,
}: {
  siteId: number;
  status: StatusCode;
  category: CategoryCode;
  county: string;
  lastDate: string | null;
}) {
  const { t, lang } = useI18n();
  const { deny } = useSession();
  const moveSite = useMoveSite();
  const [target, setTarget] = useState<StatusCode | null>(null);
  const [ticked, setTicked] = useState<Partial<Record<ClosureChecklistItem, boolean>>>({});
  const [itemPhotos, setItemPhotos] = useState<Partial<Record<ClosureChecklistItem, File>>>({});
  const [error, setError] = useState<unknown>(null);
  const moves = STATUS_MOVES[status];
  if (moves.length === 0) return null;
  const checklist = target === 'closed' ? closureChecklistFor(category) : [];
  const allTicked = checklist.every((item) => ticked[item]);
  const denied = deny('recordField', [county]);
  // 已撤销（误录）: admins only, with a reason.
  const deniedFor = (to: StatusCode) => (to === VOIDED ? deny('voidSites', [county]) : denied);

  const open = (to: StatusCode) => {
    setTarget(to);
    setTicked({});
    setItemPhotos({});
    setError(null);
  };

  return (
    <section className="site-moves" aria-label={t('statusMoves')}>
      <h3>{t('statusMoves')}</h3>
      <div className="move-buttons">
        {moves.map((to) => (
          <GuardedButton
            key={to}
            className="small move"
            denied={deniedFor(to)}
            aria-pressed={target === to}
            onClick={() => open(to)}
            style={{ borderColor: STATUS_COLORS[to] }}
          >
            {t('moveTo', { status: statusLabel(to, lang) })}
          </GuardedButton>
        ))}
      </div>
      {target && (
        <EventForm
          key={target}
          title={t('moveTo', { status: statusLabel(target, lang) })}
          lastDate={lastDate}
          noteRequired={target === VOIDED}
          ready={allTicked}
          submitLabel={t('confirm')}
          onCancel={() => setTarget(null)}
          onSubmit={async ({ date, note, photos }) => {
            setError(null);
            try {
              const evidence: EvidencePhoto[] = photos.map((ref) => ({ ref, item: null }));
              for (const item of checklist) {
                const file = itemPhotos[item];
                if (file) evidence.push({ ref: await uploadPhoto(file), item });
              }
              await moveSite({
                param: { id: String(siteId) },
                json: {
                  to: target,
                  date,
                  note: note || null,
                  ...(target === 'closed' ? { checklist: Object.fromEntries(checklist.map((item) => [item, ticked[item] === true])) } : {}),
                  ...(evidence.length ? { evidence: photoEvidence(evidence) } : {}),
                },
              });
              setTarget(null);
            } catch (caught) {
              setError(caught);
            }
          }}
        >
          {checklist.length > 0 && (
            <fieldset className="checklist" data-testid="closure-checklist">
              <legend>{t('closureChecklist')}</legend>
              {checklist.map((item) => (
                <div key={item} className="checklist-item">
                  <label>
                    <input
                      type="checkbox"
                      checked={ticked[item] === true}
                      onChange={(e) => setTicked((previous) => ({ ...previous, [item]: e.target.checked }))}
                    />
                    {checklistLabel(item, lang)}
                  </label>
                  <label className="photo" title={t('checklistPhoto', { item: checklistLabel(item, lang) })}>
                    {t('eventPhoto')}
                    {itemPhotos[item] ? ' ✓' : ''}
                    <input
                      type="file"
                      accept={PHOTO_TYPES}
                      aria-label={t('checklistPhoto', { item: checklistLabel(item, lang) })}
                      onChange={(e) => {
                        const file = e.target.files?.[0];
                        setItemPhotos((previous) => ({ ...previous, [item]: file }));
                      }}
                    />
                  </label>
                </div>
              ))}
              {!allTicked && <p className="muted">{t('checklistIncomplete')}</p>}
            </fieldset>
          )}
          <ErrorLine error={error} />
        </EventForm>
      )}
    </section>
  );
}
