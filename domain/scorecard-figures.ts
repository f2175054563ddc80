// The figures of a county scorecard, with their names and definitions in both languages. Shared
// by the web page (labels, tooltips) and the XLSX download (headers, description sheet), so the
// two always say the same thing.

export const FIGURE_KEYS = [
  'sites',
  'open',
  'dealtWith',
  'verified',
  'relapsed',
  'likelyMoves',
  'overdue',
  'notInspected',
  'unlocated',
  'roadsAwaitingRepair',
] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];

export interface FigureText {
  zh: string;
  en: string;
  definitionZh: string;
  definitionEn: string;
}

export const FIGURE_TEXT: Record<FigureKey, FigureText> = {
  sites: {
    zh: '排查发现',
    en: 'Found',
    definitionZh: '截至统计日已发现的点位总数（动态清零的“发现”）；已撤销（误录）的点位不计入本表任何数字',
    definitionEn: 'Sites discovered on or before the date (the “found” of 动态清零); sites voided as entered by mistake count in no figure of the scorecard',
  },
  open: {
    zh: '尚未清零',
    en: 'Still open',
    definitionZh: '统计日状态为 已发现、整改中 或 死灰复燃 的点位',
    definitionEn: 'Sites that are discovered, rectifying or relapsed on the date',
  },
  dealtWith: {
    zh: '已处置',
    en: 'Dealt with',
    definitionZh: '统计日状态为 已取缔、已整改提升、已搬迁入园 或 已验收销号 的点位',
    definitionEn: 'Sites closed, upgraded, moved into a park or verified on the date',
  },
  verified: { zh: '已验收销号', en: 'Verified', definitionZh: '统计日已验收销号的点位', definitionEn: 'Sites verified and struck off on the date' },
  relapsed: {
    zh: '死灰复燃点位',
    en: 'Relapsed sites',
    definitionZh: '统计日前至少复燃过一次的点位；复燃次数另列（一个点位复燃两次计两次）',
    definitionEn: 'Sites that relapsed at least once by the date; the relapses are counted apart (a site relapsing twice counts twice)',
  },
  likelyMoves: {
    zh: '疑似异地复产',
    en: 'Likely moves',
    definitionZh: '已取缔企业附近 3 公里、180 天内新发现的同类点位（未被否定的），落在本县区',
    definitionEn: 'New sites of the same category within 3 km and 180 days of a closure, not dismissed, in this county',
  },
  overdue: {
    zh: '逾期未完成',
    en: 'Overdue',
    definitionZh: '整改时限早于统计日且仍未清零的点位',
    definitionEn: 'Open sites whose deadline is before the date',
  },
  notInspected: {
    zh: '久未复查',
    en: 'Not inspected',
    definitionZh: '已处置且已定位、但 {days} 天内未复查（或从未复查）的点位',
    definitionEn: 'Located sites dealt with but not inspected in {days} days (or never)',
  },
  unlocated: {
    zh: '待定位',
    en: 'To place',
    definitionZh: '尚无坐标、需在地图上定位的点位',
    definitionEn: 'Sites without coordinates, to be placed on the map',
  },
  roadsAwaitingRepair: {
    zh: '待修复路段',
    en: 'Roads awaiting repair',
    definitionZh: '统计日尚未修复的道路破损路段',
    definitionEn: 'Damaged road segments not repaired on the date',
  },
};

/** The parts of a scorecard the named figures are read from (the API's and the XLSX's scorecard alike). */
export interface ScorecardCounts {
  sites: number;
  zeroing: { open: number; dealtWith: number; verified: number };
  relapsedSites: number;
  likelyMoves: number;
  overdue: readonly unknown[];
  notInspected: number;
  unlocated: number;
  roadsAwaitingRepair: number;
}

/** The count a scorecard gives for one of the named figures. */
export function figureValue(card: ScorecardCounts, key: FigureKey): number {
  switch (key) {
    case 'open':
    case 'dealtWith':
    case 'verified':
      return card.zeroing[key];
    case 'relapsed':
      return card.relapsedSites;
    case 'overdue':
      return card.overdue.length;
    default:
      return card[key];
  }
}
