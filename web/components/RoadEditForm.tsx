// Editing a road segment's attributes with the version read. When someone saved it in between (409)
// the form says who and when, shows their value beside the user's for each field that differs, and
// lets the user take theirs (reload) or keep their own (saved over the new version): nothing is lost
// silently.
import { campaignTime } from '../../domain/days.ts';
import { ConflictTable } from './ConflictTable.tsx';
import { useState } from 'react';
import { ROAD_SEVERITIES, type RoadSeverity } from '../../domain/statuses.ts';
import { ApiError } from '../api/client.ts';
import { severityLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/zh.ts';
import { loadRoad, useEditRoad, type RoadDetail } from '../state/roads.ts';

interface Values {
  roadName: string;
  fromDesc: string;
  toDesc: string;
  severity: RoadSeverity;
  responsibleUnit: string;
  deadline: string;
  task: string;
  note: string;
}

const FIELDS: { key: keyof Values; label: MessageKey }[] = [
  { key: 'roadName', label: 'roadName' },
  { key: 'fromDesc', label: 'roadFrom' },
  { key: 'toDesc', label: 'roadTo' },
  { key: 'severity', label: 'severity' },
  { key: 'responsibleUnit', label: 'responsibleUnit' },
  { key: 'deadline', label: 'deadline' },
  { key: 'task', label: 'roadTask' },
  { key: 'note', label: 'note' },
];

const valuesOf = (road: RoadDetail): Values => {
  const p = road.properties;
  return {
    roadName: p.roadName,
    fromDesc: p.fromDesc ?? '',
    toDesc: p.toDesc ?? '',
    severity: p.severity as RoadSeverity,
    responsibleUnit: p.responsibleUnit ?? '',
    deadline: p.deadline ?? '',
    task: p.task === null ? '' : String(p.task),
    note: p.note ?? '',
  };
};

interface Conflict {
  theirs: RoadDetail;
  changedBy: string | null;
  changedAt: string | null;
}

export function RoadEditForm({
  road,
  onSaved,
  onReload,
  onCancel,
  onError,
}: {
  road: RoadDetail;
  onSaved: () => void;
  onReload: () => void;
  onCancel: () => void;
  onError: (error: unknown) => void;
}) {
  const { t, lang } = useI18n();
  const [values, setValues] = useState<Values>(() => valuesOf(road));
  const [version, setVersion] = useState(road.properties.version);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [busy, setBusy] = useState(false);
  const editRoad = useEditRoad();
  const read = valuesOf(road);
  const set = (key: keyof Values, value: string) => setValues((v) => ({ ...v, [key]: value }));
  const show = (key: keyof Values, value: string) => (key === 'severity' ? severityLabel(value as RoadSeverity, lang) : value || '—');

  const save = async (atVersion: number) => {
    setBusy(true);
    try {
      await editRoad({
        param: { id: String(road.id) },
        json: {
          version: atVersion,
          roadName: values.roadName,
          fromDesc: values.fromDesc || null,
          toDesc: values.toDesc || null,
          severity: values.severity,
          responsibleUnit: values.responsibleUnit || null,
          deadline: values.deadline || null,
          task: values.task ? Number(values.task) : null,
          note: values.note || null,
        },
      });
      setConflict(null);
      onSaved();
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'stale_version') {
        const theirs = await loadRoad(road.id);
        setVersion(theirs.properties.version);
        setConflict({ theirs, changedBy: (caught.details.changedBy as string | null) ?? null, changedAt: (caught.details.changedAt as string | null) ?? null });
      } else onError(caught);
    } finally {
      setBusy(false);
    }
  };

  const theirValues = conflict ? valuesOf(conflict.theirs) : null;
  const differing = theirValues ? FIELDS.filter((f) => theirValues[f.key] !== values[f.key]) : [];

  return (
    <form
      className="event-form"
      aria-label={t('roadEdit')}
      data-testid="road-edit"
      onSubmit={(event) => {
        event.preventDefault();
        if (!busy && !conflict) void save(version);
      }}
    >
      <h4>{t('roadEdit')}</h4>
      {FIELDS.map(({ key, label }) => (
        <label key={key} className={values[key] !== read[key] ? 'changed' : undefined}>
          {t(label)}
          {key === 'severity' ? (
            <select value={values.severity} onChange={(e) => set('severity', e.target.value)}>
              {ROAD_SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {severityLabel(s, lang)}
                </option>
              ))}
            </select>
          ) : key === 'task' ? (
            <select value={values.task} onChange={(e) => set('task', e.target.value)}>
              <option value="">—</option>
              {Array.from({ length: 31 }, (_, i) => String(i + 1)).map((n) => (
                <option key={n} value={n}>
                  {t('taskNumber', { n })}
                </option>
              ))}
            </select>
          ) : key === 'note' ? (
            <textarea rows={2} value={values.note} onChange={(e) => set('note', e.target.value)} />
          ) : (
            <input type={key === 'deadline' ? 'date' : 'text'} required={key === 'roadName'} value={values[key]} onChange={(e) => set(key, e.target.value)} />
          )}
        </label>
      ))}
      {conflict && theirValues && (
        <div className="conflict" role="alert" data-testid="road-conflict">
          <p>
            {t('conflictChanged', { who: conflict.changedBy ?? '?', when: conflict.changedAt ? campaignTime(conflict.changedAt, { seconds: false }) : '?' })}
          </p>
          <ConflictTable
            rows={differing.map(({ key, label }) => ({ field: key, label: t(label), mine: show(key, values[key]), theirs: show(key, theirValues[key]) }))}
          />
          <div className="form-actions">
            <button type="button" onClick={() => void save(conflict.theirs.properties.version)}>
              {t('conflictKeepMine')}
            </button>
            <button
              type="button"
              onClick={() => {
                setValues(theirValues);
                setConflict(null);
                onReload();
                onCancel();
              }}
            >
              {t('conflictTakeTheirs')}
            </button>
          </div>
        </div>
      )}
      {!conflict && (
        <div className="form-actions">
          <button type="submit" disabled={busy || values.roadName.trim() === ''}>
            {busy ? t('saving') : t('save')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('cancel')}
          </button>
        </div>
      )}
    </form>
  );
}
