// The columns of a site ledger (台账), shared by import and export: the Chinese header an export
// writes is one the import recognises, so a file we export imports back as the same sites.
// Headers are matched after normalising (trim, full-width to half-width, lower case, no spaces).

import { CATEGORY_CODES, CATEGORY_LABELS, type CategoryCode } from './categories.ts';
import { COUNTED_STATUSES, STATUS_LABELS, type Precision, type RecordSource, type StatusCode } from './statuses.ts';

export const LEDGER_FIELDS = [
  'name',
  'address',
  'lng',
  'lat',
  'county',
  'township',
  'village',
  'category',
  'status',
  'discoveredOn',
  'deadline',
  'responsibleUnit',
  'note',
] as const;
export type LedgerField = (typeof LEDGER_FIELDS)[number];

export interface LedgerColumn {
  field: LedgerField;
  /** Header written by exports (Chinese, as officials' ledgers spell it). */
  zh: string;
  en: string;
  /** What the column holds, for the description sheet of an XLSX export and the import wizard. */
  descriptionZh: string;
  descriptionEn: string;
  /** Headers recognised on import, besides `zh` and `en`. */
  aliases: readonly string[];
}

export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  {
    field: 'name',
    zh: '名称',
    en: 'name',
    descriptionZh: '企业或站点名称',
    descriptionEn: 'Name of the firm or site',
    aliases: ['企业名称', '单位名称', '站点名称', '场所名称'],
  },
  { field: 'address', zh: '地址', en: 'address', descriptionZh: '详细地址', descriptionEn: 'Street address', aliases: ['详细地址', '位置', '所在地址'] },
  {
    field: 'lng',
    zh: '经度',
    en: 'longitude',
    descriptionZh: '经度（十进制度或度分秒）',
    descriptionEn: 'Longitude (decimal degrees or DMS)',
    aliases: ['lng', 'lon', 'long', 'x', '东经'],
  },
  {
    field: 'lat',
    zh: '纬度',
    en: 'latitude',
    descriptionZh: '纬度（十进制度或度分秒）',
    descriptionEn: 'Latitude (decimal degrees or DMS)',
    aliases: ['lat', 'y', '北纬'],
  },
  {
    field: 'county',
    zh: '所属县区',
    en: 'county',
    descriptionZh: '县区名称或行政区划代码',
    descriptionEn: 'County name or division code',
    aliases: ['县区', '县（区）', '县(区)', '所属县（区）', '所属县(区)', '区县', '所属区县'],
  },
  {
    field: 'township',
    zh: '乡镇/街道',
    en: 'township',
    descriptionZh: '乡镇或街道名称',
    descriptionEn: 'Township or subdistrict',
    aliases: ['乡镇', '街道', '乡镇（街道）', '乡镇(街道)', '所属乡镇'],
  },
  {
    field: 'village',
    zh: '村',
    en: 'village',
    descriptionZh: '村或社区名称',
    descriptionEn: 'Village or community',
    aliases: ['村庄', '行政村', '村（社区）', '村(社区)', '社区'],
  },
  {
    field: 'category',
    zh: '类别',
    en: 'category',
    descriptionZh: '三散类别，如 散乱污企业、砂石料场、商混站',
    descriptionEn: 'Category, e.g. 散乱污企业, 砂石料场, 商混站',
    aliases: ['类型', '行业', '污染源类型'],
  },
  {
    field: 'status',
    zh: '整治状态',
    en: 'status',
    descriptionZh: '整治状态，如 已取缔、整改中、已验收销号',
    descriptionEn: 'Status, e.g. 已取缔, 整改中, 已验收销号',
    aliases: ['状态'],
  },
  {
    field: 'discoveredOn',
    zh: '发现时间',
    en: 'discovered on',
    descriptionZh: '发现或排查日期（年-月-日）',
    descriptionEn: 'Date found (YYYY-MM-DD)',
    aliases: ['排查时间', '发现日期', '排查日期'],
  },
  {
    field: 'deadline',
    zh: '整改时限',
    en: 'deadline',
    descriptionZh: '整改完成期限（年-月-日）',
    descriptionEn: 'Deadline for rectification (YYYY-MM-DD)',
    aliases: ['整改期限', '完成时限'],
  },
  {
    field: 'responsibleUnit',
    zh: '责任单位',
    en: 'responsible unit',
    descriptionZh: '负责整治的单位',
    descriptionEn: 'Unit responsible',
    aliases: ['负责单位'],
  },
  { field: 'note', zh: '备注', en: 'note', descriptionZh: '备注', descriptionEn: 'Remarks', aliases: ['说明', 'description'] },
];

/** Columns an export writes besides the ledger's own (an import may ignore them). */
export const EXPORT_EXTRA_FIELDS = ['id', 'precision', 'source', 'countyCode', 'sourceDocument', 'sourceTask', 'sourceQuote'] as const;
export type ExportExtraField = (typeof EXPORT_EXTRA_FIELDS)[number];

export interface ExportExtraColumn extends Omit<LedgerColumn, 'field' | 'aliases'> {
  field: ExportExtraField;
}

export const EXPORT_EXTRA_COLUMNS: readonly ExportExtraColumn[] = [
  { field: 'id', zh: '编号', en: 'id', descriptionZh: '本系统中的站点编号', descriptionEn: 'Site number in this system' },
  {
    field: 'precision',
    zh: '定位精度',
    en: 'precision',
    descriptionZh: '精确；大致（仅知到村）；未定位（无坐标，经纬度为空）',
    descriptionEn: 'exact; approximate (village only); unlocated (no coordinates)',
  },
  {
    field: 'source',
    zh: '数据来源',
    en: 'source',
    descriptionZh: '真实：来自方案或台账；演示：生成的示例数据，并非真实点位',
    descriptionEn: 'real: from the plan or a ledger; demo: generated example, not a real place',
  },
  { field: 'countyCode', zh: '县区代码', en: 'county code', descriptionZh: '县区行政区划代码（GB/T 2260）', descriptionEn: 'County division code (GB/T 2260)' },
  // 出处 of a real record from the plan (migration 013); empty for demo, imported and user-created records.
  {
    field: 'sourceDocument',
    zh: '出处文件',
    en: 'source document',
    descriptionZh: '记录所据文件，如 漯发〔2020〕13号；演示、导入和新建的记录为空',
    descriptionEn: 'The document the record comes from, e.g. 漯发〔2020〕13号; empty for demo, imported and user-created records',
  },
  { field: 'sourceTask', zh: '出处任务', en: 'source task', descriptionZh: '该文件中的任务序号', descriptionEn: 'Task number in that document' },
  {
    field: 'sourceQuote',
    zh: '原文',
    en: 'the plan’s words',
    descriptionZh: '文件中指称该记录的原话（中文，逐字）',
    descriptionEn: 'The document’s own words naming the record (Chinese, verbatim)',
  },
];

/** The words exports write for a site's precision and its source (数据来源). */
export const PRECISION_WORDS: Record<Precision, string> = { exact: '精确', approximate: '大致', unlocated: '未定位' };
export const SOURCE_WORDS: Record<RecordSource, string> = { real: '真实', demo: '演示' };

/** Normalise a header or a word for matching: trim, full-width ASCII to half-width, lower case, no inner spaces. */
/** What normaliseWord folds besides case (a pattern held once: a literal in the function is a new object per call). */
const FOLDED = /[\uff01-\uff5e\u3000\s]/;

export function normaliseWord(value: string): string {
  // Most cells hold none of what foldWord's replacements change (one scan instead of five).
  // toLowerCase also copies the word out of the file's text it is a slice of: the duplicate index keeps it as a key.
  return FOLDED.test(value) ? foldWord(value) : value.toLowerCase();
}

/** normaliseWord without its short cut: every replacement on every word. */
export function foldWord(value: string): string {
  return value
    .replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '');
}

const HEADER_INDEX = new Map<string, LedgerField>();
for (const column of LEDGER_COLUMNS)
  for (const header of [column.zh, column.en, column.field, ...column.aliases]) HEADER_INDEX.set(normaliseWord(header), column.field);

/** The ledger field a file's header stands for, or null when it is not one we recognise. */
export function fieldForHeader(header: string): LedgerField | null {
  return HEADER_INDEX.get(normaliseWord(header)) ?? null;
}

/** Chinese words officials use for each category, besides the label itself. Unknown words are errors, not guesses. */
const CATEGORY_WORDS: Record<CategoryCode, readonly string[]> = {
  scattered_firm: ['散乱污', '散乱污企业', '散乱污工业企业'],
  sand_yard: ['砂石料场', '砂石场', '沙场', '砂场', '料场'],
  wood_processing: ['木材加工', '木材加工厂', '木材加工企业'],
  cement_prefab: ['水泥预制', '水泥预制件', '水泥制品', '预制厂'],
  carton_maker: ['纸箱制作', '纸箱厂', '纸箱加工'],
  concrete_plant: ['商混站', '商砼站', '混凝土搅拌站', '搅拌站', '商品混凝土'],
  brick_kiln: ['砖瓦窑', '砖窑', '砖厂'],
  fuel_point: ['黑加油站点', '黑加油站', '黑加油点', '非法加油点', '流动加油车'],
  coal_point: ['散煤销售点', '散煤', '散煤经营点'],
  curing_barn: ['燃煤烟叶烤房', '烟叶烤房', '烤房'],
  fungus_farm: ['燃煤食用菌', '食用菌'],
  construction_site: ['建筑工地', '工地'],
  dump_site: ['垃圾露天堆放点', '垃圾堆放点', '露天堆放'],
};

/** Chinese words for each status, besides the label itself. */
// A ledger cannot void a site (an admin does that in the page, with a reason), so voided has no words.
const STATUS_WORDS: Record<(typeof COUNTED_STATUSES)[number], readonly string[]> = {
  discovered: ['已发现', '发现', '新发现', '待整治', '未整治'],
  rectifying: ['整改中', '正在整改', '整治中'],
  closed: ['已取缔', '取缔', '关停取缔', '已关停'],
  upgraded: ['已整改提升', '整改提升', '已整改', '提升改造'],
  relocated: ['已搬迁入园', '搬迁入园', '已搬迁'],
  verified: ['已验收销号', '已验收', '验收销号', '已销号'],
  relapsed: ['死灰复燃', '复燃', '反弹'],
};

function wordIndex<C extends string>(codes: readonly C[], labels: Record<C, string>, words: Record<C, readonly string[]>): Map<string, C> {
  const index = new Map<string, C>();
  for (const code of codes) for (const word of [code, labels[code], ...words[code]]) index.set(normaliseWord(word), code);
  return index;
}

const CATEGORY_INDEX = wordIndex(CATEGORY_CODES, CATEGORY_LABELS, CATEGORY_WORDS);
const STATUS_INDEX = wordIndex(COUNTED_STATUSES, STATUS_LABELS, STATUS_WORDS);

/** The category code a ledger's word stands for (code, label or a known synonym), or null. */
export function categoryForWord(word: string): CategoryCode | null {
  return CATEGORY_INDEX.get(normaliseWord(word)) ?? null;
}

/** The status code a ledger's word stands for (code, label or a known synonym), or null. */
export function statusForWord(word: string): StatusCode | null {
  return STATUS_INDEX.get(normaliseWord(word)) ?? null;
}
