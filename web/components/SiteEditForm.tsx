// Edit a site's attributes with the version read. Only the fields changed here are sent, so an edit
// made meanwhile to other fields survives. When someone changed the site since it was read (409),
// the form says who and when, shows their value beside this one for each field changed here, and
// lets the person load theirs or keep these (sent again on the new version) — nothing is dropped
// without being shown.
import { campaignTime } from '../../domain/days.ts';
import { ConflictTable } from './ConflictTable.tsx';
import { useState } from 'react';
import type { CategoryCode, SectorCode } from '../../domain/categories.ts';
import { ApiError } from '../api/client.ts';
import { useEditSite } from '../state/sites.ts';
import { categoryLabel, sectorLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ErrorLine } from './ErrorText.tsx';
import type { MessageKey } from '../i18n/zh.ts';
import { usePlaces } from '../state/counties.ts';
import { SiteFields, siteFieldBody, siteFieldsValid, type SiteFieldValues } from './SiteFields.tsx';
import { FormActions } from './FormActions.tsx';

type Body = ReturnType<typeof siteFieldBody>;
type Field = keyof Body;

interface SiteNow {
  id: number;
  properties: {
    name: string;
    category: string;
    sector: string | null;
    address: string | null;
    county: string;
    township: string | null;
    townshipName: string | null;
    villageName: string | null;
    managingZone: string | null;
    deadline: string | null;
    responsibleUnit: string | null;
    version: number;
  };
  note: string | null;
}

const FIELD_LABELS: Record<Field, MessageKey> = {
  name: 'siteName',
  category: 'category',
  sector: 'sector',
  address: 'address',
  township: 'township',
  village: 'village',
  managingZone: 'managingZone',
  deadline: 'deadline',
  responsibleUnit: 'responsibleUnit',
  note: 'note',
};

/** The form's values for a site as read (or as the 409 says it is now). */
function valuesOf(site: { properties: Omit<SiteNow['properties'], 'id' | 'county' | 'township' | 'version'>; note: string | null }): SiteFieldValues {
  const p = site.properties;
  return {
    name: p.name,
    category: p.category as CategoryCode,
    sector: (p.sector ?? '') as SectorCode | '',
    address: p.address ?? '',
    township: p.townshipName ?? '',
    village: p.villageName ?? '',
    managingZone: p.managingZone ?? '',
    deadline: p.deadline ?? '',
    responsibleUnit: p.responsibleUnit ?? '',
    note: site.note ?? '',
  };
}

interface Conflict {
  changedBy: string | null;
  changedAt: string | null;
  version: number;
  theirs: Body;
}

export function SiteEditForm({ site, onSaved, onCancel }: { site: SiteNow; onSaved: () => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const places = usePlaces(site.properties.county);
  const editSite = useEditSite();
  const [initial] = useState(() => valuesOf(site));
  const [values, setValues] = useState(initial);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const before = siteFieldBody(initial);
  const after = siteFieldBody(values);
  const changed = (Object.keys(after) as Field[]).filter((field) => after[field] !== before[field]);

  const shown = (field: Field, body: Body): string => {
    const value = body[field];
    if (value === null || value === '') return '—';
    if (field === 'category') return categoryLabel(value as CategoryCode, lang);
    if (field === 'sector') return sectorLabel(value as SectorCode, lang);
    return String(value);
  };

  const save = async (version: number) => {
    setBusy(true);
    setError(null);
    try {
      const patch = Object.fromEntries(changed.map((field) => [field, after[field]]));
      await editSite({ param: { id: String(site.id) }, json: { version, ...patch } });
      onSaved();
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'stale_version' && caught.details.now) {
        const current = caught.details.now as SiteNow['properties'] & { note: string | null };
        setConflict({
          changedBy: (caught.details.changedBy as string | null) ?? null,
          changedAt: (caught.details.changedAt as string | null) ?? null,
          version: current.version,
          theirs: siteFieldBody(valuesOf({ properties: current, note: current.note })),
        });
      } else setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="site-form"
      aria-label={t('editSite')}
      data-testid="site-edit"
      onSubmit={(event) => {
        event.preventDefault();
        if (!busy && changed.length && siteFieldsValid(values, places.data)) void save(site.properties.version);
      }}
    >
      <h3>{t('editSite')}</h3>
      {conflict ? (
        <div className="conflict" role="alert" data-testid="edit-conflict">
          <p>
            {t('conflictWho', {
              who: conflict.changedBy ?? t('someone'),
              when: conflict.changedAt ? campaignTime(conflict.changedAt) : '',
            })}
          </p>
          <ConflictTable
            rows={changed.map((field) => ({ field, label: t(FIELD_LABELS[field]), mine: shown(field, after), theirs: shown(field, conflict.theirs) }))}
          />
          <p className="muted">{t('conflictHint')}</p>
          <div className="form-actions">
            <button
              type="button"
              disabled={busy}
              onClick={() => {
                setConflict(null);
                void save(conflict.version);
              }}
            >
              {t('conflictKeepMine')}
            </button>
            <button type="button" onClick={onSaved}>
              {t('conflictReload')}
            </button>
          </div>
        </div>
      ) : (
        <>
          <SiteFields values={values} places={places.data} onChange={setValues} />
          <ErrorLine error={error} />
          <FormActions label={t('save')} ready={changed.length > 0 && siteFieldsValid(values, places.data)} busy={busy} onCancel={onCancel} />
        </>
      )}
    </form>
  );
}
