// How each kind of site's life runs in the demo (chances and day ranges): data only.
import type { CategoryCode } from '../../../domain/categories.ts';
import type { LifeOptions } from './plan.ts';

export const STANDARD_LIFE: LifeOptions = {
  outcomes: [
    ['closed', 0.55],
    ['upgraded', 0.3],
    ['relocated', 0.15],
  ],
  rectifyChance: 0.6,
  rectifyAfter: [1, 20],
  resolveAfter: [15, 200],
  relocateAfter: [90, 420],
  verifyChance: 0.75,
  openChance: 0.05,
};

export const LIFE: Partial<Record<CategoryCode, LifeOptions>> = {
  sand_yard: STANDARD_LIFE,
  concrete_plant: {
    outcomes: [
      ['relocated', 0.4],
      ['upgraded', 0.35],
      ['closed', 0.25],
    ],
    rectifyChance: 0.85,
    rectifyAfter: [1, 30],
    resolveAfter: [30, 240],
    relocateAfter: [180, 640],
    verifyChance: 0.7,
  },
  cement_prefab: {
    ...STANDARD_LIFE,
    outcomes: [
      ['closed', 0.5],
      ['upgraded', 0.4],
      ['relocated', 0.1],
    ],
  },
  carton_maker: {
    ...STANDARD_LIFE,
    outcomes: [
      ['closed', 0.5],
      ['upgraded', 0.5],
    ],
  },
  brick_kiln: {
    ...STANDARD_LIFE,
    outcomes: [
      ['closed', 0.75],
      ['upgraded', 0.25],
    ],
    rectifyChance: 0.7,
    resolveAfter: [20, 200],
  },
  wood_processing: {
    outcomes: [
      ['relocated', 0.45],
      ['upgraded', 0.3],
      ['closed', 0.25],
    ],
    rectifyChance: 0.8,
    rectifyAfter: [3, 30],
    resolveAfter: [20, 300],
    relocateAfter: [90, 450],
    verifyChance: 0.75,
    openChance: 0.04,
  },
  fuel_point: { outcomes: [['closed', 1]], rectifyChance: 0.2, rectifyAfter: [0, 5], resolveAfter: [0, 20], verifyChance: 0.6 },
  fungus_farm: {
    outcomes: [
      ['closed', 0.4],
      ['upgraded', 0.6],
    ],
    rectifyChance: 0.8,
    rectifyAfter: [3, 20],
    resolveAfter: [30, 200],
    verifyChance: 0.6,
  },
  construction_site: {
    outcomes: [
      ['upgraded', 0.85],
      ['closed', 0.15],
    ],
    rectifyChance: 0.9,
    rectifyAfter: [0, 3],
    resolveAfter: [7, 60],
    verifyChance: 0.5,
    openChance: 0.05,
  },
  dump_site: {
    outcomes: [
      ['closed', 0.9],
      ['upgraded', 0.1],
    ],
    rectifyChance: 0.8,
    rectifyAfter: [1, 10],
    resolveAfter: [5, 90],
    verifyChance: 0.7,
  },
  scattered_firm: { ...STANDARD_LIFE, verifyChance: 0.7, openChance: 0.08 },
};

/** How much longer than the city's 45–200 days each county takes between 回头看 re-checks after 2022 (demo assumption). */
export const COUNTY_RECHECK_PACE: Record<string, number> = { '411102': 0.9, '411103': 1, '411104': 1.15, '411121': 1.6, '411122': 1.25 };
