// Site and road status lifecycles (docs/domain.md "Statuses and the allowed moves").

export const STATUS_CODES = ['discovered', 'rectifying', 'closed', 'upgraded', 'relocated', 'verified', 'relapsed', 'voided'] as const;
export type StatusCode = (typeof STATUS_CODES)[number];

export const STATUS_LABELS: Record<StatusCode, string> = {
  discovered: '已发现',
  rectifying: '整改中',
  closed: '已取缔',
  upgraded: '已整改提升',
  relocated: '已搬迁入园',
  verified: '已验收销号',
  relapsed: '死灰复燃',
  voided: '已撤销（误录）',
};

/**
 * 已撤销（误录）: a record entered by mistake. Sites are never deleted; an admin moves such a one here,
 * with a reason, from any status. It is terminal, kept in the history and the audit trail, and left
 * out of every figure (lists, counts, clusters, scorecards, analyses) unless asked for by name.
 */
export const VOIDED = 'voided' satisfies StatusCode;

/** The statuses figures count: all but voided. */
export const COUNTED_STATUSES = STATUS_CODES.filter((status) => status !== VOIDED) as Exclude<StatusCode, typeof VOIDED>[];

/** The only allowed moves (voided from any status, by admins only). Anything else is refused with these listed. */
export const STATUS_MOVES: Record<StatusCode, readonly StatusCode[]> = {
  discovered: ['rectifying', 'closed', 'upgraded', 'relocated', 'voided'],
  rectifying: ['closed', 'upgraded', 'relocated', 'voided'],
  closed: ['verified', 'relapsed', 'voided'],
  upgraded: ['verified', 'relapsed', 'voided'],
  relocated: ['verified', 'relapsed', 'voided'],
  verified: ['relapsed', 'voided'],
  relapsed: ['rectifying', 'closed', 'voided'],
  voided: [],
};

/** Statuses in which a site is still a live problem ("open"). */
export const OPEN_STATUSES: readonly StatusCode[] = ['discovered', 'rectifying', 'relapsed'];
/** Statuses in which a site has been dealt with. */
export const RESOLVED_STATUSES: readonly StatusCode[] = ['closed', 'upgraded', 'relocated', 'verified'];

export function isStatus(value: string): value is StatusCode {
  return (STATUS_CODES as readonly string[]).includes(value);
}

export function canMove(from: StatusCode, to: StatusCode): boolean {
  return STATUS_MOVES[from].includes(to);
}

/** 两断三清: what a closure must have done; fuel points also need their tanks sealed or removed. */
export const CLOSURE_CHECKLIST = ['cutWater', 'cutPower', 'clearMaterials', 'clearEquipment', 'clearProducts'] as const;
export type ClosureChecklistItem = (typeof CLOSURE_CHECKLIST)[number] | 'tanksSealed';
export const CLOSURE_CHECKLIST_LABELS: Record<ClosureChecklistItem, string> = {
  cutWater: '断水',
  cutPower: '断电',
  clearMaterials: '清原料',
  clearEquipment: '清设备',
  clearProducts: '清产品',
  tanksSealed: '油罐水泥封盖或清除',
};

/** What closing a site of `category` must have done: 两断三清, and for fuel points the tanks too. */
export function closureChecklistFor(category: string): ClosureChecklistItem[] {
  return category === 'fuel_point' ? [...CLOSURE_CHECKLIST, 'tanksSealed'] : [...CLOSURE_CHECKLIST];
}

export const ROAD_STATUS_CODES = ['reported', 'scheduled', 'repairing', 'repaired'] as const;
export type RoadStatusCode = (typeof ROAD_STATUS_CODES)[number];
export const ROAD_STATUS_LABELS: Record<RoadStatusCode, string> = {
  reported: '已上报',
  scheduled: '已排期',
  repairing: '维修中',
  repaired: '已修复',
};
export const ROAD_STATUS_MOVES: Record<RoadStatusCode, readonly RoadStatusCode[]> = {
  reported: ['scheduled', 'repairing', 'repaired'],
  scheduled: ['repairing', 'repaired'],
  repairing: ['repaired'],
  repaired: [],
};
export const ROAD_SEVERITIES = ['minor', 'moderate', 'severe'] as const;
export type RoadSeverity = (typeof ROAD_SEVERITIES)[number];
export const ROAD_SEVERITY_LABELS: Record<RoadSeverity, string> = { minor: '轻微', moderate: '部分损坏', severe: '严重' };

export const PRECISIONS = ['exact', 'approximate', 'unlocated'] as const;
export type Precision = (typeof PRECISIONS)[number];
export const SOURCES = ['real', 'demo'] as const;
export type RecordSource = (typeof SOURCES)[number];
