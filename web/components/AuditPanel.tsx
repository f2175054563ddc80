// The audit trail for admins (and county officials, for their counties): filters, the records
// newest first with before/after, and a button that recomputes the hash chain on the server.
import { campaignTime } from '../../domain/days.ts';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { describeError, fieldWords } from '../i18n/error-text.ts';
import { AUDIT_ACTIONS, AUDIT_TARGETS, changedFields, flatRecord, type AuditAction } from '../../domain/audit-actions.ts';
import type { Language } from '../i18n/code-labels.ts';
import { countyLabel } from '../i18n/code-labels.ts';
import { useAuditPages, verifyAudit, type AuditQuery } from '../state/audit.ts';
import { LoadState } from './LoadState.tsx';
import { ROLE_LABELS } from '../state/session.tsx';
import type { Role } from '../../domain/roles.ts';
import { SignInLocks } from './SignInLocks.tsx';

const ACTIONS = Object.keys(AUDIT_ACTIONS) as AuditAction[];

const actionWords = (action: string, lang: Language) => AUDIT_ACTIONS[action as AuditAction]?.[lang] ?? action;

type Json = Record<string, unknown> | null;

/** The record's target in words: 点位：名称 (the name from before/after when the record holds it). */
function targetWords(target: string | null, before: Json, after: Json, lang: Language): { kind: string; id: string; text: string } | null {
  if (!target) return null;
  const cut = target.indexOf(':');
  const kind = cut < 0 ? target : target.slice(0, cut);
  const id = cut < 0 ? '' : target.slice(cut + 1);
  const [was, now] = [flatRecord(before), flatRecord(after)];
  const name = [now?.name, was?.name, now?.roadName, was?.roadName, now?.fileName].find((value) => typeof value === 'string' && value) as string | undefined;
  const label = AUDIT_TARGETS[kind]?.[lang] ?? kind;
  return { kind, id, text: `${label}${lang === 'zh' ? '：' : ': '}${name ?? id}` };
}

const cell = (value: unknown) =>
  value === undefined || value === null || value === '' ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);

export function AuditPanel({ counties, onOpenSite }: { counties: { code: string; name: string }[]; onOpenSite?: (id: number) => void }) {
  const { t, lang } = useI18n();
  const countyNames = Object.fromEntries(counties.map((county) => [county.code, county.name]));
  const [draft, setDraft] = useState<AuditQuery>({});
  const [query, setQuery] = useState<AuditQuery>({});
  const [pages, setPages] = useState<string[]>([]);
  const [verification, setVerification] = useState<{ busy: boolean; text: string | null; ok: boolean }>({ busy: false, text: null, ok: true });
  const clean = (q: AuditQuery) => Object.fromEntries(Object.entries(q).filter(([, value]) => value)) as AuditQuery;
  const { first, more } = useAuditPages(clean(query), pages);
  const records = [...(first.data?.records ?? []), ...(more.data ?? []).flatMap((page) => page.records)];
  const nextBefore = pages.length ? (more.data?.at(-1)?.nextBefore ?? null) : (first.data?.nextBefore ?? null);

  const verify = async () => {
    setVerification({ busy: true, text: null, ok: true });
    try {
      const result = await verifyAudit();
      setVerification({
        busy: false,
        ok: result.ok,
        text: result.ok
          ? t('auditVerifyOk', { n: result.records, anchors: result.anchors })
          : t('auditVerifyBad', {
              id: result.firstBad!.id,
              reason: t(BREAK_REASON[result.firstBad!.code], {
                missing: result.firstBad!.missing ?? '',
                at: result.firstBad!.anchor ? campaignTime(result.firstBad!.anchor.at, { seconds: false }) : '',
                records: result.firstBad!.anchor?.records ?? '',
                have: result.records,
              }),
            }),
      });
    } catch (error) {
      setVerification({ busy: false, ok: false, text: describeError(error, lang) });
    }
  };
  const input = (key: keyof AuditQuery, label: string, type = 'text') => (
    <label className="field">
      {label}
      <input type={type} value={draft[key] ?? ''} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
    </label>
  );

  return (
    <div className="audit-panel" data-testid="audit-panel">
      <section>
        <h2>{t('auditTitle')}</h2>
        <p className="muted">{t('auditIntro')}</p>
        <button type="button" className="primary" data-testid="audit-verify" disabled={verification.busy} onClick={() => void verify()}>
          {verification.busy ? t('auditVerifying') : t('auditVerify')}
        </button>
        {verification.text && (
          <p className={verification.ok ? 'verified' : 'error-text'} role="status" data-testid="audit-verification">
            {verification.text}
          </p>
        )}
      </section>
      <SignInLocks />
      <form
        className="audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setPages([]);
          setQuery(draft);
        }}
      >
        <label className="field">
          {t('auditAction')}
          <select value={draft.action ?? ''} onChange={(e) => setDraft({ ...draft, action: e.target.value })}>
            <option value="">{t('auditAll')}</option>
            {ACTIONS.map((action) => (
              <option key={action} value={action}>
                {actionWords(action, lang)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('auditCounty')}
          <select value={draft.county ?? ''} onChange={(e) => setDraft({ ...draft, county: e.target.value })}>
            <option value="">{t('auditAll')}</option>
            {counties.map((county) => (
              <option key={county.code} value={county.code}>
                {countyLabel(county.code, county.name, lang)}
              </option>
            ))}
          </select>
        </label>
        {input('actor', t('auditActor'))}
        {input('target', t('auditTarget'))}
        {input('from', t('auditFrom'), 'date')}
        {input('to', t('auditTo'), 'date')}
        <button type="submit" className="small">
          {t('auditApply')}
        </button>
      </form>
      <LoadState loading={first.loading} error={first.error ?? more.error} />
      {first.data && records.length === 0 && <p className="muted">{t('auditNone')}</p>}
      <ol className="plain audit-records">
        {records.map((record) => {
          const before = record.before as Json;
          const after = record.after as Json;
          const target = targetWords(record.target, before, after, lang);
          const changed = changedFields(before, after);
          return (
            <li key={record.id} data-audit={record.id}>
              <div>
                <b>#{record.id}</b>{' '}
                <span className="muted" data-testid="audit-at">
                  {campaignTime(record.at)}
                </span>{' '}
                <b data-testid="audit-action">{actionWords(record.action, lang)}</b>{' '}
                {target && target.kind === 'site' && onOpenSite && /^\d+$/.test(target.id) ? (
                  <button type="button" className="link" data-testid="audit-target" onClick={() => onOpenSite(Number(target.id))}>
                    {target.text}
                  </button>
                ) : (
                  target && <span data-testid="audit-target">{target.text}</span>
                )}
              </div>
              <div className="muted" data-testid="audit-who">
                {t('auditActor')}: {record.actor === 'system' ? t('auditSystem') : (record.actor ?? '—')}
                {record.role && record.role in ROLE_LABELS
                  ? lang === 'zh'
                    ? `（${t(ROLE_LABELS[record.role as Role])}）`
                    : ` (${t(ROLE_LABELS[record.role as Role])})`
                  : ''}{' '}
                · {t('auditAddress')}: {record.address === 'start-up' ? t('auditStartUp') : (record.address ?? '—')}
                {record.counties.length
                  ? ` · ${record.counties.map((code) => countyLabel(code, countyNames[code] ?? code, lang)).join(lang === 'zh' ? '、' : ', ')}`
                  : ''}
              </div>
              {changed.length > 0 && (
                <details>
                  <summary>{t('auditDetails')}</summary>
                  <table className="audit-changes" data-testid="audit-changes">
                    <thead>
                      <tr>
                        <th>{t('auditField')}</th>
                        <th>{t('auditBefore')}</th>
                        <th>{t('auditAfter')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {changed.map(([field, was, now]) => (
                        <tr key={field}>
                          <th scope="row">{fieldWords(field, lang)}</th>
                          <td>{cell(was)}</td>
                          <td>{cell(now)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </details>
              )}
            </li>
          );
        })}
      </ol>
      {nextBefore !== null && (
        <button type="button" className="small" onClick={() => setPages([...pages, String(nextBefore)])}>
          {t('auditMore')}
        </button>
      )}
    </div>
  );
}

/** Why a record breaks the chain, in the page's language. */
const BREAK_REASON = {
  missing: 'auditBreakMissing',
  prev_hash: 'auditBreakPrevHash',
  hash: 'auditBreakHash',
  truncated: 'auditBreakTruncated',
  anchor: 'auditBreakAnchor',
} as const;
