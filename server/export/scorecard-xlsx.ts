// The scorecard as an XLSX workbook (the export's `writeXlsx`): the counties side by side, the
// overdue list, the monthly trend, and a sheet with the figures' definitions — in Chinese, as the
// campaign office files it.
import { CATEGORY_CODES, CATEGORY_LABELS } from '../../domain/categories.ts';
import { FIGURE_KEYS, FIGURE_TEXT, figureValue } from '../../domain/scorecard-figures.ts';
import { COUNTED_STATUSES, STATUS_LABELS } from '../../domain/statuses.ts';
import type { Scorecard, ScorecardOptions } from '../store/scorecard-store.ts';
import type { ExportColumn } from './table.ts';
import { writeXlsx } from './xlsx.ts';

const SOURCE_TEXT = {
  all: '真实记录与演示记录合计（演示记录为生成的示例，不是真实点位）',
  real: '仅真实记录',
  demo: '仅演示记录（生成的示例，不是真实点位）',
} as const;

/** One line of the side-by-side sheet: a label and a value per county (null on a group heading). */
interface SideRow {
  label: string;
  values: (number | null)[];
}

function column<R>(
  zh: string,
  en: string,
  descriptionZh: string,
  descriptionEn: string,
  value: ExportColumn<R>['value'],
  extra: Partial<ExportColumn<R>> = {},
): ExportColumn<R> {
  return { zh, en, descriptionZh, descriptionEn, value, ...extra };
}

export async function scorecardWorkbook(cards: readonly Scorecard[], { asOf, staleDays, source }: ScorecardOptions, generatedAt: string): Promise<Buffer> {
  const total = cards.length > 1;
  const figureRow = (label: string, value: (card: Scorecard) => number): SideRow => {
    const values = cards.map(value);
    return { label, values: total ? [...values, values.reduce((a, b) => a + b, 0)] : values };
  };
  const side: SideRow[] = [
    ...FIGURE_KEYS.map((key) => figureRow(FIGURE_TEXT[key].zh, (card) => figureValue(card, key))),
    figureRow('死灰复燃次数', (card) => card.relapses),
    { label: '按状态', values: [] },
    ...COUNTED_STATUSES.map((status) => figureRow(STATUS_LABELS[status], (card) => card.byStatus[status] ?? 0)),
    { label: '按类别', values: [] },
    ...CATEGORY_CODES.map((category) => figureRow(CATEGORY_LABELS[category], (card) => card.byCategory[category] ?? 0)),
  ];
  const counties = [...cards.map((card) => card.countyName), ...(total ? ['全市合计'] : [])];
  const sideColumns: ExportColumn<SideRow>[] = [
    column('指标', 'figure', '考核指标（口径见下）', 'Figure (definitions below)', (row) => row.label, { width: 18 }),
    ...counties.map((name, i) =>
      column<SideRow>(name, name, `${name}的数值`, `Value for ${name}`, (row) => row.values[i] ?? null, { type: 'number', width: 12 }),
    ),
  ];
  const overdue = cards.flatMap((card) => card.overdue.map((item) => ({ ...item, countyName: card.countyName })));
  type Overdue = (typeof overdue)[number];
  const trend = cards.flatMap((card) => card.trend.map((month) => ({ ...month, countyName: card.countyName })));
  type Month = (typeof trend)[number];

  return writeXlsx({
    descriptionSheet: '指标说明',
    notes: [
      `漯河市“三散”污染治理县区考核表（统计日 ${asOf}）`,
      `数据来源：${SOURCE_TEXT[source ?? 'all']}`,
      `生成时间：${generatedAt}（北京时间）`,
      ...FIGURE_KEYS.map((key) => `${FIGURE_TEXT[key].zh}：${FIGURE_TEXT[key].definitionZh.replace('{days}', String(staleDays))}`),
    ],
    sheets: [
      { name: '县区考核', columns: sideColumns, rows: side },
      {
        name: '逾期清单',
        columns: [
          column<Overdue>('县区', 'county', '所属县区', 'County', (row) => row.countyName, { width: 10 }),
          column<Overdue>('编号', 'id', '点位编号（地图上的编号）', 'Site number on the map', (row) => row.id, { type: 'number', width: 8 }),
          column<Overdue>('名称', 'name', '点位名称', 'Site name', (row) => row.name, { width: 36 }),
          column<Overdue>('整改时限', 'deadline', '整改完成期限', 'Deadline', (row) => row.deadline, { width: 12 }),
          column<Overdue>(
            '整治状态',
            'status',
            '统计日的整治状态',
            'Status on the date',
            (row) => STATUS_LABELS[row.status as keyof typeof STATUS_LABELS] ?? row.status,
            { width: 12 },
          ),
        ],
        rows: overdue,
      },
      {
        name: '月度趋势',
        columns: [
          column<Month>('县区', 'county', '所属县区', 'County', (row) => row.countyName, { width: 10 }),
          column<Month>('月份', 'month', '年-月', 'Year-month', (row) => row.month, { width: 10 }),
          column<Month>('新发现', 'found', '当月新发现点位数', 'Sites found that month', (row) => row.discovered, { type: 'number' }),
          column<Month>('取缔', 'closed', '当月取缔次数', 'Closures that month', (row) => row.closed, { type: 'number' }),
          column<Month>('复燃', 'relapsed', '当月复燃次数', 'Relapses that month', (row) => row.relapsed, { type: 'number' }),
        ],
        rows: trend,
      },
    ],
  });
}
