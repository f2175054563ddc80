// The scorecard as an XLSX workbook (exceljs): the counties side by side, the overdue list, the
// monthly trend, and a sheet defining every figure — in Chinese, as the campaign office files it.
import ExcelJS from 'exceljs';
import { CATEGORY_CODES, CATEGORY_LABELS } from '../../domain/categories.ts';
import { FIGURE_KEYS, FIGURE_TEXT, type FigureKey } from '../../domain/scorecard-figures.ts';
import { STATUS_CODES, STATUS_LABELS } from '../../domain/statuses.ts';
import type { Scorecard, ScorecardOptions } from '../store/scorecard-store.ts';

const FIGURE_VALUE: Record<FigureKey, (card: Scorecard) => number> = {
  sites: (card) => card.sites,
  open: (card) => card.zeroing.open,
  dealtWith: (card) => card.zeroing.dealtWith,
  verified: (card) => card.zeroing.verified,
  relapsed: (card) => card.relapsedSites,
  likelyMoves: (card) => card.likelyMoves,
  overdue: (card) => card.overdue.length,
  notInspected: (card) => card.notInspected,
  unlocated: (card) => card.unlocated,
  roadsAwaitingRepair: (card) => card.roadsAwaitingRepair,
};

const bold = { bold: true } as const;

const SOURCE_TEXT = {
  all: { zh: '真实记录与演示记录合计（演示记录为生成的示例，不是真实点位）', en: 'Real and demo records together (demo records are generated examples, not real sites)' },
  real: { zh: '仅真实记录', en: 'Real records only' },
  demo: { zh: '仅演示记录（生成的示例，不是真实点位）', en: 'Demo records only (generated examples, not real sites)' },
} as const;

export async function scorecardWorkbook(cards: readonly Scorecard[], { asOf, staleDays, source }: ScorecardOptions, generatedAt: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '三散污染源地图';
  workbook.created = new Date(generatedAt);
  const total = cards.length > 1;

  const side = workbook.addWorksheet('县区考核');
  side.addRow([`漯河市“三散”污染治理县区考核表（统计日 ${asOf}${source === 'demo' ? '，演示数据' : source === 'real' ? '，真实记录' : ''}）`]).font = { bold: true, size: 14 };
  side.addRow(['指标', ...cards.map((card) => card.countyName), ...(total ? ['全市合计'] : [])]).font = bold;
  const valueRow = (label: string, values: number[]) => side.addRow([label, ...values, ...(total ? [values.reduce((a, b) => a + b, 0)] : [])]);
  for (const key of FIGURE_KEYS) valueRow(FIGURE_TEXT[key].zh, cards.map(FIGURE_VALUE[key]));
  valueRow('死灰复燃次数', cards.map((card) => card.relapses));
  side.addRow(['处置率', ...cards.map((card) => (card.zeroing.shareDealtWith === null ? '' : Math.round(card.zeroing.shareDealtWith * 1000) / 10 + '%'))]);
  side.addRow(['按状态']).font = bold;
  for (const status of STATUS_CODES) valueRow(STATUS_LABELS[status], cards.map((card) => card.byStatus[status] ?? 0));
  side.addRow(['按类别']).font = bold;
  for (const category of CATEGORY_CODES) valueRow(CATEGORY_LABELS[category], cards.map((card) => card.byCategory[category] ?? 0));
  side.getColumn(1).width = 18;
  for (let i = 2; i <= cards.length + 2; i += 1) side.getColumn(i).width = 12;
  side.views = [{ state: 'frozen', xSplit: 1, ySplit: 2 }];

  const overdue = workbook.addWorksheet('逾期清单');
  overdue.columns = [
    { header: '县区', key: 'county', width: 10 },
    { header: '编号', key: 'id', width: 8 },
    { header: '名称', key: 'name', width: 36 },
    { header: '整改时限', key: 'deadline', width: 12 },
    { header: '整治状态', key: 'status', width: 12 },
  ];
  overdue.getRow(1).font = bold;
  for (const card of cards)
    for (const item of card.overdue) overdue.addRow({ county: card.countyName, id: item.id, name: item.name, deadline: item.deadline, status: STATUS_LABELS[item.status as keyof typeof STATUS_LABELS] ?? item.status });

  const trend = workbook.addWorksheet('月度趋势');
  trend.columns = [
    { header: '县区', key: 'county', width: 10 },
    { header: '月份', key: 'month', width: 10 },
    { header: '新发现', key: 'discovered', width: 10 },
    { header: '取缔', key: 'closed', width: 10 },
    { header: '复燃', key: 'relapsed', width: 10 },
  ];
  trend.getRow(1).font = bold;
  for (const card of cards) for (const month of card.trend) trend.addRow({ county: card.countyName, ...month });

  const notes = workbook.addWorksheet('指标说明');
  notes.columns = [
    { header: '指标', key: 'zh', width: 16 },
    { header: 'Figure', key: 'en', width: 22 },
    { header: '口径', key: 'definitionZh', width: 60 },
    { header: 'Definition', key: 'definitionEn', width: 70 },
  ];
  notes.getRow(1).font = bold;
  for (const key of FIGURE_KEYS) {
    const text = FIGURE_TEXT[key];
    notes.addRow({ ...text, definitionZh: text.definitionZh.replace('{days}', String(staleDays)), definitionEn: text.definitionEn.replace('{days}', String(staleDays)) });
  }
  notes.addRow({ zh: '生成时间', en: 'Generated', definitionZh: generatedAt, definitionEn: generatedAt });
  notes.addRow({ zh: '数据来源', en: 'Records', definitionZh: SOURCE_TEXT[source ?? 'all'].zh, definitionEn: SOURCE_TEXT[source ?? 'all'].en });

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
