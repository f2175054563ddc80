// 出处: where a real record comes from — the source document, its task and the document's own words.
// The labels follow the UI language; the quote is the plan's Chinese, verbatim, in either.
import { useI18n } from '../i18n/i18n.tsx';

export interface Provenance {
  document: string;
  task: number | null;
  quote: string | null;
}

export function ProvenanceSection({ provenance }: { provenance: Provenance | null | undefined }) {
  const { t } = useI18n();
  if (!provenance) return null;
  return (
    <section className="provenance" data-testid="provenance">
      <h3>{t('provenance')}</h3>
      <dl className="facts">
        <dt>{t('provenanceDocument')}</dt>
        <dd lang="zh-CN">{provenance.document}</dd>
        {provenance.task !== null && (
          <>
            <dt>{t('provenanceTask')}</dt>
            <dd>{t('taskNumber', { n: provenance.task })}</dd>
          </>
        )}
        {provenance.quote && (
          <>
            <dt>{t('provenanceQuote')}</dt>
            <dd>
              <blockquote lang="zh-CN">{provenance.quote}</blockquote>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
