// Labels of the domain's codes (categories, statuses, sectors…) in both languages.
import { CATEGORY_CODES, CATEGORY_LABELS, SECTOR_LABELS, type CategoryCode, type ManagingZone, type SectorCode } from '../../domain/categories.ts';
import { FIGURE_TEXT, type FigureKey } from '../../domain/scorecard-figures.ts';
import {
  CLOSURE_CHECKLIST_LABELS,
  ROAD_SEVERITY_LABELS,
  ROAD_STATUS_LABELS,
  STATUS_CODES,
  STATUS_LABELS,
  type ClosureChecklistItem,
  type RoadSeverity,
  type RoadStatusCode,
  type StatusCode,
} from '../../domain/statuses.ts';

import { en } from './en.ts';
import { zh, type MessageKey } from './zh.ts';

export type Language = 'zh' | 'en';

const CATEGORY_EN: Record<CategoryCode, string> = {
  scattered_firm: 'Scattered polluting firm',
  sand_yard: 'Sand yard',
  wood_processing: 'Wood processing',
  cement_prefab: 'Cement prefab',
  carton_maker: 'Carton maker',
  concrete_plant: 'Concrete plant',
  brick_kiln: 'Brick kiln',
  fuel_point: 'Illegal fuel point',
  coal_point: 'Loose-coal point',
  curing_barn: 'Coal-fired tobacco barn',
  fungus_farm: 'Coal-fired fungus farm',
  construction_site: 'Construction site',
  dump_site: 'Open dump',
};

const STATUS_EN: Record<StatusCode, string> = {
  discovered: 'Discovered',
  rectifying: 'Rectifying',
  closed: 'Closed down',
  upgraded: 'Upgraded',
  relocated: 'Moved into a park',
  verified: 'Verified, struck off',
  relapsed: 'Relapsed',
  voided: 'Voided (entered by mistake)',
};

const SECTOR_EN: Record<SectorCode, string> = { industrial: 'Industrial', agricultural: 'Agricultural', service: 'Service' };

const ROAD_STATUS_EN: Record<RoadStatusCode, string> = {
  reported: 'Reported',
  scheduled: 'Scheduled',
  repairing: 'Repairing',
  repaired: 'Repaired',
};

const CHECKLIST_EN: Record<ClosureChecklistItem, string> = {
  cutWater: 'Water cut off',
  cutPower: 'Power cut off',
  clearMaterials: 'Raw materials cleared',
  clearEquipment: 'Equipment cleared',
  clearProducts: 'Products cleared',
  tanksSealed: 'Fuel tanks sealed with cement or removed',
};

const SEVERITY: Record<Language, Record<RoadSeverity, string>> = {
  zh: ROAD_SEVERITY_LABELS,
  en: { minor: 'Minor', moderate: 'Partly damaged', severe: 'Severe' },
};

export const categoryLabel = (code: CategoryCode, lang: Language) => (lang === 'zh' ? CATEGORY_LABELS[code] : CATEGORY_EN[code]);
export const statusLabel = (code: StatusCode, lang: Language) => (lang === 'zh' ? STATUS_LABELS[code] : STATUS_EN[code]);
export const sectorLabel = (code: SectorCode, lang: Language) => (lang === 'zh' ? SECTOR_LABELS[code] : SECTOR_EN[code]);
export const roadStatusLabel = (code: RoadStatusCode, lang: Language) => (lang === 'zh' ? ROAD_STATUS_LABELS[code] : ROAD_STATUS_EN[code]);
const ZONE_EN: Record<ManagingZone, string> = {
  经济技术开发区: 'Economic and Technological Development Zone',
  城乡一体化示范区: 'Urban-Rural Integration Demonstration Zone',
  西城区: 'Xicheng District (zone)',
};
export const managingZoneLabel = (zone: ManagingZone, lang: Language) => (lang === 'zh' ? zone : ZONE_EN[zone]);
export const checklistLabel = (item: ClosureChecklistItem, lang: Language) => (lang === 'zh' ? CLOSURE_CHECKLIST_LABELS[item] : CHECKLIST_EN[item]);
export const severityLabel = (code: RoadSeverity, lang: Language) => SEVERITY[lang][code];

/** One character that stands for a category on the map symbol. */
export const CATEGORY_GLYPH: Record<CategoryCode, string> = {
  scattered_firm: '散',
  sand_yard: '砂',
  wood_processing: '木',
  cement_prefab: '预',
  carton_maker: '箱',
  concrete_plant: '混',
  brick_kiln: '窑',
  fuel_point: '油',
  coal_point: '煤',
  curing_barn: '烤',
  fungus_farm: '菌',
  construction_site: '工',
  dump_site: '垃',
};

/** A 回头看 inspection's result: its message in web/i18n/zh.ts and en.ts (the route panel offers the same words). */
export const INSPECTION_RESULT_MESSAGES = {
  closed_as_recorded: 'resultAsRecorded',
  operating: 'resultOperating',
  relapsed: 'resultRelapsed',
  not_found: 'resultNotFound',
  other: 'resultOther',
} as const satisfies Record<string, MessageKey>;
export type InspectionResultCode = keyof typeof INSPECTION_RESULT_MESSAGES;
export const inspectionResultLabel = (code: string, lang: Language) => {
  const key = INSPECTION_RESULT_MESSAGES[code as InspectionResultCode];
  return key ? (lang === 'en' ? en : zh)[key] : code;
};

/** Official romanised names of Luohe's county-level units, for the English UI. */
const COUNTY_EN: Record<string, string> = {
  '411102': 'Yuanhui District',
  '411103': 'Yancheng District',
  '411104': 'Shaoling District',
  '411121': 'Wuyang County',
  '411122': 'Linying County',
};
export const countyLabel = (code: string, name: string, lang: Language) => (lang === 'en' ? (COUNTY_EN[code] ?? name) : name);

/** Name of a scorecard figure: one of FIGURE_KEYS, or status:CODE / category:CODE. */
export function figureLabel(figure: string, lang: Language): string {
  const [kind, code] = figure.split(':');
  if (kind === 'status' && (STATUS_CODES as readonly string[]).includes(code ?? '')) return statusLabel(code as StatusCode, lang);
  if (kind === 'category' && (CATEGORY_CODES as readonly string[]).includes(code ?? '')) return categoryLabel(code as CategoryCode, lang);
  const text = FIGURE_TEXT[figure as FigureKey];
  return text ? text[lang] : figure;
}

/** The one-sentence definition of a scorecard figure. */
export function figureDefinition(key: FigureKey, lang: Language, staleDays: number): string {
  const text = FIGURE_TEXT[key];
  return (lang === 'zh' ? text.definitionZh : text.definitionEn).replace('{days}', String(staleDays));
}
