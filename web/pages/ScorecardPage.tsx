// The printable scorecard (one A4 page): the counties side by side — or one county — with every
// figure a link to its sites on the map, the overdue items, the monthly trend and the definitions.
import { campaignTime } from '../../domain/days.ts';
import { Fragment, useState } from 'react';
import { FIGURE_KEYS, figureValue } from '../../domain/scorecard-figures.ts';
import { COUNTED_STATUSES, type StatusCode } from '../../domain/statuses.ts';
import { figureDefinition, figureLabel, statusLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { LoadState } from '../components/LoadState.tsx';
import { pageHref } from './page-href.ts';
import type { ScorecardJson } from '../state/scorecards.ts';
import { lastMonths } from '../components/TrendBars.tsx';
import { useScorecards } from '../state/scorecards.ts';
import { PageFrame } from './PageFrame.tsx';

/** Overdue rows printed; the rest are in the XLSX. */
const OVERDUE_ROWS = 11;
const TREND_MONTHS = 6;

export function ScorecardPage({ params }: { params: URLSearchParams }) {
  const { t, lang } = useI18n();
  // When the page was opened: the 生成于 line of the printed sheet.
  const [openedAt] = useState(() => Date.now());
  const county = params.get('county');
  const query = {
    ...(params.get('asOf') ? { asOf: params.get('asOf')! } : {}),
    ...(params.get('source') === 'real' || params.get('source') === 'demo' ? { source: params.get('source') as 'real' | 'demo' } : {}),
  };
  const cards = useScorecards(county, query);
  const data = cards.data;
  const total = (value: (card: ScorecardJson) => number) =>
    data && data.length > 1 ? <td className="num total">{data.reduce((n, card) => n + value(card), 0)}</td> : null;
  const mapLink = (card: ScorecardJson, figure: string) =>
    `/?${new URLSearchParams({ panel: 'scorecard', county: card.county, figure, ...query, ...(lang === 'en' ? { lang: 'en' } : {}) }).toString()}`;
  const cell = (card: ScorecardJson, figure: string, n: number) => (
    <td key={card.county} className="num">
      <a href={mapLink(card, figure)}>{n}</a>
    </td>
  );
  // The longest overdue first (then county, then id): the list is cut at OVERDUE_ROWS.
  const overdue = (data?.flatMap((card) => card.overdue.map((item) => ({ ...item, countyName: card.countyName }))) ?? []).sort((a, b) =>
    a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0,
  );
  const months = data ? lastMonths(mergeTrends(data), TREND_MONTHS) : [];
  const xlsx = `/api/scorecards/xlsx?${new URLSearchParams({ ...(county ? { county } : {}), ...query }).toString()}`;
  const records = query.source === 'real' ? t('scRecordsReal') : query.source === 'demo' ? t('scRecordsDemo') : t('scRecordsAll');

  return (
    <PageFrame
      title={t('scPrintTitle')}
      actions={
        <>
          <button type="button" onClick={() => window.print()}>
            {t('scPrintButton')}
          </button>
          <a href={xlsx} download>
            {t('scDownload')}
          </a>
        </>
      }
    >
      <div className="print-page scorecard-print" data-testid="scorecard-print">
        <h1>{t('scPrintTitle')}</h1>
        <LoadState loading={cards.loading} error={cards.error} />
        {data && data.length > 0 && (
          <>
            <p className="meta">
              {t('scAsOf', { date: data[0]!.asOf })} · {t('scRecords')}：{records}
              {query.source !== 'real' && <span className="demo-note"> · {t('scDemoNote')}</span>}
            </p>
            <table className="grid">
              <thead>
                <tr>
                  <th>{t('scFigure')}</th>
                  {data.map((card) => (
                    <th key={card.county}>{card.countyName}</th>
                  ))}
                  {data.length > 1 && <th>{t('scCityTotal')}</th>}
                </tr>
              </thead>
              <tbody>
                {FIGURE_KEYS.map((key) => (
                  <Fragment key={key}>
                    <tr>
                      <th scope="row">{figureLabel(key, lang)}</th>
                      {data.map((card) => cell(card, key, figureValue(card, key)))}
                      {total((card) => figureValue(card, key))}
                    </tr>
                    {key === 'relapsed' && (
                      <tr>
                        <th scope="row">{t('scRelapseEventsRow')}</th>
                        {data.map((card) => (
                          <td key={card.county} className="num">
                            {card.relapses}
                          </td>
                        ))}
                        {total((card) => card.relapses)}
                      </tr>
                    )}
                  </Fragment>
                ))}
                <tr className="group">
                  <th colSpan={data.length + 2}>{t('scByStatus')}</th>
                </tr>
                {COUNTED_STATUSES.map((status) => (
                  <tr key={status}>
                    <th scope="row">{statusLabel(status as StatusCode, lang)}</th>
                    {data.map((card) => cell(card, `status:${status}`, card.byStatus[status] ?? 0))}
                    {total((card) => card.byStatus[status] ?? 0)}
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="columns">
              <section>
                <h2>{t('scOverdueList')}</h2>
                <table className="grid small-table" data-testid="scorecard-overdue">
                  <thead>
                    <tr>
                      <th>{t('county')}</th>
                      <th>{t('name')}</th>
                      <th>{t('deadline')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {overdue.slice(0, OVERDUE_ROWS).map((item) => (
                      <tr key={item.id}>
                        <td>{item.countyName}</td>
                        <td>
                          <a href={`/?site=${item.id}`}>{item.name}</a>
                        </td>
                        <td>{item.deadline}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {overdue.length === 0 && <p className="muted">—</p>}
                {overdue.length > OVERDUE_ROWS && <p className="muted">{t('scOverdueMore', { n: overdue.length - OVERDUE_ROWS })}</p>}
              </section>
              <section>
                <h2>{t('scTrend')}</h2>
                <table className="grid small-table">
                  <thead>
                    <tr>
                      <th>{t('scMonth')}</th>
                      <th>{t('scDiscovered')}</th>
                      <th>{t('scClosed')}</th>
                      <th>{t('scRelapsed')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {months.map((m) => (
                      <tr key={m.month}>
                        <td>{m.month}</td>
                        <td className="num">{m.discovered}</td>
                        <td className="num">{m.closed}</td>
                        <td className="num">{m.relapsed}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            </div>
            <section className="definitions">
              <h2>{t('scDefinitions')}</h2>
              <dl>
                {FIGURE_KEYS.map((key) => (
                  <div key={key}>
                    <dt>{figureLabel(key, lang)}</dt>
                    <dd>{figureDefinition(key, lang, data[0]!.staleDays)}</dd>
                  </div>
                ))}
              </dl>
            </section>
            <p className="muted">{t('scGenerated', { time: campaignTime(openedAt) })}</p>
            <p className="no-print">
              <a href={pageHref('tasks', { lang: lang === 'en' ? 'en' : null })}>{t('navTasks')}</a>
            </p>
          </>
        )}
      </div>
    </PageFrame>
  );
}

/** The counties' monthly trends added up. */
function mergeTrends(cards: readonly ScorecardJson[]) {
  const months = new Map<string, { month: string; discovered: number; closed: number; relapsed: number }>();
  for (const card of cards)
    for (const m of card.trend) {
      const sum = months.get(m.month) ?? { month: m.month, discovered: 0, closed: 0, relapsed: 0 };
      sum.discovered += m.discovered;
      sum.closed += m.closed;
      sum.relapsed += m.relapsed;
      months.set(m.month, sum);
    }
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
}
