// The ledger import wizard: upload → columns and coordinate system → preview with every row's
// outcome (errors highlighted) → commit; below, the import batches with undo.
import { campaignTime } from '../../domain/days.ts';
import { useEffect, useMemo, useState } from 'react';
import { LEDGER_COLUMNS, type LedgerField } from '../../domain/ledger-columns.ts';
import { ApiError } from '../api/client.ts';
import type { previewImport } from '../state/imports.ts';
import { useCommitImport, useImportBatches, useImportMappings, usePreviewImport, useSaveMapping, useUndoImport } from '../state/imports.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/zh.ts';
import { FieldError, namesField } from './ErrorText.tsx';

/** A preview's refusals of these show beside the file input or the column table, not in the banner. */
const PREVIEW_FIELDS = ['file', 'options'] as const;

type Crs = 'wgs84' | 'gcj02' | 'bd09';
type Handling = 'skip' | 'update' | 'keep';
type Preview = Awaited<ReturnType<typeof previewImport>>;
const PREVIEW_LISTED = 500;
type Mapping = Record<string, LedgerField | null>;

interface Issue {
  column: string | null;
  code: string;
  message: string;
  value?: string;
}

const ISSUE_KEYS: Record<string, MessageKey> = {
  required: 'importIssueRequired',
  unknown_category: 'importIssueUnknownCategory',
  unknown_status: 'importIssueUnknownStatus',
  bad_date: 'importIssueBadDate',
  future_date: 'importIssueFutureDate',
  bad_coordinate: 'importIssueBadCoordinate',
  swapped: 'importIssueSwapped',
  swapped_fixed: 'importIssueSwappedFixed',
  outside_china: 'importIssueOutsideChina',
  outside_luohe: 'importIssueOutsideLuohe',
  crs_required: 'importIssueCrsRequired',
  unknown_county: 'importIssueUnknownCounty',
  county_mismatch: 'importIssueCountyMismatch',
  unknown_township: 'importIssueUnknownTownship',
  unknown_village: 'importIssueUnknownVillage',
  ambiguous_village: 'importIssueAmbiguousVillage',
  no_place: 'importIssueNoPlace',
  no_date: 'importIssueNoDate',
  not_a_point: 'importIssueNotAPoint',
  not_your_county: 'importIssueNotYourCounty',
};

const OUTCOME_KEYS = {
  new: 'importOutcomeNew',
  update: 'importOutcomeUpdate',
  duplicate: 'importOutcomeDuplicate',
  error: 'importOutcomeError',
} as const satisfies Record<string, MessageKey>;

export function ImportWizard({ onError }: { onError: (error: unknown) => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  // Bumped after a commit so the file input empties too.
  const [inputKey, setInputKey] = useState(0);
  const [crs, setCrs] = useState<Crs | ''>('');
  const [sheet, setSheet] = useState('');
  const [fixSwapped, setFixSwapped] = useState(false);
  const [mapping, setMapping] = useState<Mapping>({});
  const [mappingName, setMappingName] = useState('');
  const [saveName, setSaveName] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [needsMapping, setNeedsMapping] = useState<{ headers: string[]; sheets: string[] } | null>(null);
  const [handling, setHandling] = useState<Handling>('skip');
  const [perRow, setPerRow] = useState<Record<string, Handling>>({});
  const [onlyProblems, setOnlyProblems] = useState(true);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);

  const batchList = useImportBatches();
  const mappingList = useImportMappings();
  const batches = batchList.data ?? [];
  const mappings = (mappingList.data ?? []) as { name: string; mapping: Mapping }[];
  const listError = batchList.error ?? mappingList.error;
  useEffect(() => {
    if (listError) onError(listError);
  }, [listError, onError]);
  const makePreview = usePreviewImport();
  const commitImport = useCommitImport();
  const undoImport = useUndoImport();
  const storeMapping = useSaveMapping();

  const issueText = (issue: Issue) => {
    const key = ISSUE_KEYS[issue.code];
    const text = key ? t(key, { value: issue.value ?? '' }) : issue.message;
    return issue.column ? `${issue.column}：${text}` : text;
  };

  const runPreview = async (override: Partial<{ mapping: Mapping; fixSwapped: boolean; sheet: string }> = {}) => {
    if (!file) return;
    setBusy(true);
    setResult(null);
    const options = {
      ...(crs ? { crs } : {}),
      ...((override.sheet ?? sheet) ? { sheet: override.sheet ?? sheet } : {}),
      ...(mappingName ? { mappingName } : {}),
      mapping: override.mapping ?? mapping,
      fixSwapped: override.fixSwapped ?? fixSwapped,
      duplicates: handling,
    };
    try {
      const p = await makePreview({ file, options });
      // The page's earlier preview is superseded: discarded, so it does not stay in the list as 待确认.
      if (preview && preview.id !== p.id) undoImport(preview.id).catch(() => {});
      setPreview(p);
      setPreviewError(null);
      setNeedsMapping(null);
      setPerRow({});
      if (p.sheet) setSheet(p.sheet);
    } catch (error) {
      setPreview(null);
      if (error instanceof ApiError && (error.code === 'mapping_incomplete' || error.code === 'mapping_conflict' || error.code === 'unknown_column')) {
        const details = error.details as { headers?: string[]; sheets?: string[] };
        setNeedsMapping({ headers: details.headers ?? [], sheets: details.sheets ?? [] });
      }
      if (namesField(error, PREVIEW_FIELDS)) setPreviewError(error);
      else {
        setPreviewError(null);
        onError(error);
      }
    } finally {
      setBusy(false);
    }
  };

  const headers = preview ? preview.columns.map((c) => c.header) : (needsMapping?.headers ?? []);
  const fieldOf = (header: string): LedgerField | null =>
    header in mapping ? mapping[header]! : (preview?.columns.find((c) => c.header === header)?.field ?? null);
  const sheets = preview?.sheets ?? needsMapping?.sheets ?? [];

  const rows = useMemo(
    () => (preview ? preview.rows.filter((r) => !onlyProblems || r.outcome !== 'new' || r.warnings.length > 0) : []),
    [preview, onlyProblems],
  );
  // The answer names at most 500 of the file's first rows and 500 needing a look (server/services/imports.ts).
  const listed = Math.min(rows.length, PREVIEW_LISTED);

  const commit = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      const done = await commitImport({ id: preview.id, json: { duplicates: handling, rows: perRow } });
      setResult(t('importCommitted', { created: done.created, updated: done.updated, skipped: done.skipped, errors: done.errors }));
      setPreview(null);
      setFile(null);
      setInputKey((k) => k + 1);
    } catch (error) {
      onError(error);
    } finally {
      setBusy(false);
    }
  };

  const undo = async (id: number, fileName: string) => {
    try {
      await undoImport(id);
      // The note above said 已写入 for this batch (or another): it now says what was undone.
      setResult(t('importUndone', { id, file: fileName }));
    } catch (error) {
      onError(error);
    }
  };

  const discard = async (id: number, fileName: string) => {
    try {
      await undoImport(id);
      if (preview?.id === id) setPreview(null);
      setResult(t('importDiscarded', { id, file: fileName }));
    } catch (error) {
      onError(error);
    }
  };

  const saveMapping = async () => {
    const current = Object.fromEntries(headers.map((h) => [h, fieldOf(h)]));
    try {
      await storeMapping({ name: saveName, mapping: current });
      setMappingName(saveName);
    } catch (error) {
      onError(error);
    }
  };

  return (
    <section className="import-wizard" data-testid="import-wizard">
      <h2>{t('importTitle')}</h2>
      <p className="muted">{t('importHint')}</p>
      <label className="field">
        {t('importFile')}
        <input
          key={inputKey}
          type="file"
          accept=".csv,.txt,.xlsx,.xls,.geojson,.json,.kml,.kmz"
          data-testid="import-file"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setPreview(null);
            setPreviewError(null);
            setNeedsMapping(null);
            setSheet('');
            setMapping({});
          }}
        />
        <FieldError error={previewError} field="file" />
      </label>
      <label className="field">
        {t('importCrs')}
        <select value={crs} onChange={(e) => setCrs(e.target.value as Crs | '')} data-testid="import-crs">
          <option value="">{t('importCrsChoose')}</option>
          <option value="wgs84">{t('importCrsWgs84')}</option>
          <option value="gcj02">{t('importCrsGcj02')}</option>
          <option value="bd09">{t('importCrsBd09')}</option>
        </select>
      </label>
      {mappings.length > 0 && (
        <label className="field">
          {t('importSavedMapping')}
          <select value={mappingName} onChange={(e) => setMappingName(e.target.value)}>
            <option value="">{t('importNoSavedMapping')}</option>
            {mappings.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {sheets.length > 1 && (
        <label className="field">
          {t('importSheet')}
          <select
            value={sheet}
            onChange={(e) => {
              setSheet(e.target.value);
              void runPreview({ sheet: e.target.value });
            }}
            data-testid="import-sheet"
          >
            {sheets.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field inline">
        <input type="checkbox" checked={fixSwapped} onChange={(e) => setFixSwapped(e.target.checked)} />
        {t('importFixSwapped')}
      </label>
      <p>
        <button type="button" className="primary" disabled={!file || busy} onClick={() => void runPreview()} data-testid="import-preview">
          {busy ? t('loading') : t('importPreview')}
        </button>
      </p>

      {headers.length > 0 && (
        <details className="import-columns" open={needsMapping !== null || namesField(previewError, ['options'])}>
          <summary>{t('importColumns')}</summary>
          {needsMapping && !previewError ? <p className="error">{t('importNeedsMapping')}</p> : null}
          <FieldError error={previewError} field="options" />
          <table>
            <tbody>
              {headers.map((header) => (
                <tr key={header}>
                  <td>{header}</td>
                  <td>
                    <select
                      aria-label={header}
                      value={fieldOf(header) ?? ''}
                      onChange={(e) => setMapping({ ...mapping, [header]: (e.target.value || null) as LedgerField | null })}
                    >
                      <option value="">{t('importIgnoreColumn')}</option>
                      {LEDGER_COLUMNS.map((c) => (
                        <option key={c.field} value={c.field}>
                          {c.zh}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="field inline">
            <input value={saveName} placeholder={t('importMappingName')} onChange={(e) => setSaveName(e.target.value)} />
            <button type="button" className="small" disabled={!saveName.trim()} onClick={() => void saveMapping()}>
              {t('importSaveMapping')}
            </button>
            <button type="button" className="small" disabled={!file || busy} onClick={() => void runPreview()}>
              {t('importApplyMapping')}
            </button>
          </p>
        </details>
      )}

      {preview && (
        <div className="import-preview" data-testid="import-result">
          <p className="import-counts" data-testid="import-counts">
            {t('importCounts', {
              rows: preview.counts.rows,
              new: preview.counts.new,
              update: preview.counts.update,
              duplicate: preview.counts.duplicate,
              error: preview.counts.error,
            })}
          </p>
          {preview.suggestions.fixSwapped && !fixSwapped && (
            <p className="warning">
              {t('importSwappedSuggest')}
              <button
                type="button"
                className="small"
                onClick={() => {
                  setFixSwapped(true);
                  void runPreview({ fixSwapped: true });
                }}
              >
                {t('importFixSwapped')}
              </button>
            </p>
          )}
          {preview.counts.duplicate + preview.counts.update > 0 && (
            <label className="field">
              {t('importDuplicates')}
              <select value={handling} onChange={(e) => setHandling(e.target.value as Handling)}>
                <option value="skip">{t('importSkip')}</option>
                <option value="update">{t('importUpdate')}</option>
                <option value="keep">{t('importKeep')}</option>
              </select>
            </label>
          )}
          <label className="field inline">
            <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} />
            {t('importOnlyProblems')}
          </label>
          <ol className="import-rows">
            {rows.slice(0, PREVIEW_LISTED).map((r) => (
              <li key={r.row} className={`outcome-${r.outcome}`} data-outcome={r.outcome}>
                <b>{t('importRow', { row: r.row })}</b> {r.name ?? ''} <span className="badge">{t(OUTCOME_KEYS[r.outcome])}</span>
                {r.errors.map((e, i) => (
                  <div key={`e${i}`} className="issue error">
                    {issueText(e)}
                  </div>
                ))}
                {r.warnings.map((w, i) => (
                  <div key={`w${i}`} className="issue warning">
                    {issueText(w)}
                  </div>
                ))}
                {r.duplicateOf && (
                  <div className="issue">
                    {r.duplicateOf.siteId !== undefined
                      ? t('importDuplicateOfSite', { id: r.duplicateOf.siteId, name: r.duplicateOf.name })
                      : t('importDuplicateOfRow', { row: r.duplicateOf.row ?? '' })}
                    <select
                      value={perRow[String(r.row)] ?? handling}
                      onChange={(e) => setPerRow({ ...perRow, [String(r.row)]: e.target.value as Handling })}
                      aria-label={t('importDuplicates')}
                    >
                      <option value="skip">{t('importSkip')}</option>
                      {r.duplicateOf.siteId !== undefined && <option value="update">{t('importUpdate')}</option>}
                      <option value="keep">{t('importKeep')}</option>
                    </select>
                  </div>
                )}
              </li>
            ))}
          </ol>
          {listed < (onlyProblems ? preview.problemRows : preview.counts.rows) && (
            <p className="muted" data-testid="import-more-rows">
              {t('importMoreRows', { n: (onlyProblems ? preview.problemRows : preview.counts.rows) - listed })}
            </p>
          )}
          <p>
            <button type="button" className="primary" disabled={busy} onClick={() => void commit()} data-testid="import-commit">
              {t('importCommit')}
            </button>
          </p>
        </div>
      )}
      {result && (
        <p className="import-done" role="status" data-testid="import-done">
          {result}
        </p>
      )}

      <h2>{t('importBatches')}</h2>
      {batches.length === 0 && <p className="muted">{t('importNoBatches')}</p>}
      <ul className="import-batches" data-testid="import-batches">
        {batches.map((b) => (
          <li key={b.id}>
            <b>#{b.id}</b> {b.fileName}
            <div className="muted">
              {t(`importState_${b.state}` as MessageKey)} · {b.committedBy ?? b.createdBy} · {campaignTime(b.committedAt ?? b.createdAt, { seconds: false })} ·{' '}
              {b.state === 'preview'
                ? // A preview wrote nothing yet: what it found, not what it wrote.
                  t('importCounts', {
                    rows: b.counts.rows ?? 0,
                    new: b.counts.new ?? 0,
                    update: b.counts.update ?? 0,
                    duplicate: b.counts.duplicate ?? 0,
                    error: b.counts.error ?? 0,
                  })
                : t('importBatchCounts', {
                    created: b.counts.created ?? 0,
                    updated: b.counts.updated ?? 0,
                    skipped: b.counts.skipped ?? 0,
                    errors: b.counts.errors ?? b.counts.error ?? 0,
                  })}
            </div>
            {b.state === 'preview' && (
              <button type="button" className="small" onClick={() => void discard(b.id, b.fileName)}>
                {t('importDiscard')}
              </button>
            )}
            {b.state === 'committed' && (
              <button
                type="button"
                className="small"
                disabled={!b.undoable}
                title={b.undoable ? '' : t('importNotUndoable')}
                onClick={() => void undo(b.id, b.fileName)}
              >
                {t('importUndo')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
