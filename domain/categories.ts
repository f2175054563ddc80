// Site categories and sectors (docs/domain.md "Site categories"). Codes are stable identifiers;
// labels live in the message files (web/i18n) and in `label` here for server-side text.

export const CATEGORY_CODES = [
  'scattered_firm',
  'sand_yard',
  'wood_processing',
  'cement_prefab',
  'carton_maker',
  'concrete_plant',
  'brick_kiln',
  'fuel_point',
  'coal_point',
  'curing_barn',
  'fungus_farm',
  'construction_site',
  'dump_site',
] as const;
export type CategoryCode = (typeof CATEGORY_CODES)[number];

export const CATEGORY_LABELS: Record<CategoryCode, string> = {
  scattered_firm: '散乱污企业',
  sand_yard: '砂石料场',
  wood_processing: '木材加工',
  cement_prefab: '水泥预制',
  carton_maker: '纸箱制作',
  concrete_plant: '商混站',
  brick_kiln: '砖瓦窑',
  fuel_point: '黑加油站点',
  coal_point: '散煤销售点',
  curing_barn: '燃煤烟叶烤房',
  fungus_farm: '燃煤食用菌',
  construction_site: '建筑工地',
  dump_site: '垃圾露天堆放点',
};

/** Plan tasks each category links to automatically (docs/domain.md's table). */
export const CATEGORY_TASKS: Record<CategoryCode, readonly number[]> = {
  scattered_firm: [2, 3, 11, 14],
  sand_yard: [2, 14],
  wood_processing: [2, 12, 14],
  cement_prefab: [2, 14],
  carton_maker: [2],
  concrete_plant: [25],
  brick_kiln: [14],
  fuel_point: [8, 15],
  coal_point: [16, 18],
  curing_barn: [17],
  fungus_farm: [17],
  construction_site: [21, 22],
  dump_site: [19],
};

/** Categories counted as industry in the siege analysis (工业围城). */
export const INDUSTRIAL_CATEGORIES: readonly CategoryCode[] = [
  'scattered_firm',
  'sand_yard',
  'concrete_plant',
  'cement_prefab',
  'wood_processing',
  'brick_kiln',
];

export const SECTOR_CODES = ['industrial', 'agricultural', 'service'] as const;
export type SectorCode = (typeof SECTOR_CODES)[number];
export const SECTOR_LABELS: Record<SectorCode, string> = {
  industrial: '工业',
  agricultural: '农业',
  service: '服务业',
};

export function isCategory(value: string): value is CategoryCode {
  return (CATEGORY_CODES as readonly string[]).includes(value);
}

/** The plan's functional zones, which manage land inside the counties but have no boundary of their own. */
export const MANAGING_ZONES = ['经济技术开发区', '城乡一体化示范区', '西城区'] as const;
export type ManagingZone = (typeof MANAGING_ZONES)[number];
