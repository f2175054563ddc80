// One sentence per siege figure, Chinese then English, with the options actually used.
import { CATEGORY_LABELS } from '../../domain/categories.ts';
import { CONCRETE_NEAR_KM } from './siege-options.ts';
import type { ResolvedSiegeOptions, SiegeDefinition, SiegeDefinitionKey } from './siege-types.ts';

export function describeSiege(options: ResolvedSiegeOptions): Record<SiegeDefinitionKey, SiegeDefinition> {
  const { bandsKm, sectors, minSites, nearKm, openOnly } = options;
  const categoriesZh = options.categories.map((code) => CATEGORY_LABELS[code]).join('、');
  const categoriesEn = options.categories.join(', ');
  const farFrom = bandsKm[bandsKm.length - 2]!;
  const farTo = bandsKm[bandsKm.length - 1]!;
  const width = 360 / sectors;
  return {
    counted: {
      zh: openOnly
        ? `计入的点位是类别属于${categoriesZh}（散乱污企业只计工业类和未标行业的）且未取缔、未验收销号、未搬迁入园的点位（已发现、整改中、已整改提升、死灰复燃都计入）。`
        : `计入的点位是类别属于${categoriesZh}（散乱污企业只计工业类和未标行业的）的全部点位，不论状态。`,
      en: openOnly
        ? `Counted sites are those in ${categoriesEn} (scattered firms only when industrial or of unrecorded sector) that are not closed, verified or relocated (discovered, rectifying, upgraded and relapsed all count).`
        : `Counted sites are all sites in ${categoriesEn} (scattered firms only when industrial or of unrecorded sector), whatever their status.`,
    },
    bandRule: {
      zh: `核心区内（含边界）为第 0 带，其余点位按到核心区边界的球面最短距离 d 归入 [起, 止) 公里的距离带，最外一带为闭区间 [${farFrom}, ${farTo}]，超过 ${farTo} 公里的不归入任何格子。`,
      en: `Sites inside the core (boundary included) are band 0; any other site goes by its geodesic distance d from the core's boundary to the band [from, to) km that holds it, the outermost band being closed [${farFrom}, ${farTo}], and sites beyond ${farTo} km fall in no cell.`,
    },
    sectorRule: {
      zh: `方位角从核心区面积质心量起（正北 0°，顺时针），分为 ${sectors} 个各宽 ${width}° 的扇区，扇区 0 以正北为中心、顺时针编号，恰在分界线上的点位归入顺时针一侧的扇区，核心区内的点位不属于任何扇区。`,
      en: `Bearings are measured from the core's area centroid (north 0°, clockwise) into ${sectors} sectors of ${width}°, sector 0 centred on due north and numbered clockwise; a site exactly on a sector edge goes to the clockwise sector, and sites inside the core belong to no sector.`,
    },
    sites: {
      zh: '点位数是落入格子（核心区内及各距离带）的计入点位总数。',
      en: 'Sites is the number of counted sites placed in a cell (inside the core or in any band).',
    },
    insideCore: {
      zh: '核心区内点位数是位于核心区多边形内（含边界）的计入点位数。',
      en: 'Inside core is the number of counted sites inside the core polygon, boundary included.',
    },
    occupancy: {
      zh: `占据率是在核心区外、距核心区边界不超过 ${nearKm} 公里范围内拥有至少 ${minSites} 个计入点位的扇区数占全部 ${sectors} 个扇区的比例。`,
      en: `Occupancy is the share of the ${sectors} sectors holding at least ${minSites} counted site(s) outside the core within ${nearKm} km of its boundary.`,
    },
    occupiedSectors: {
      zh: `被占扇区数是满足上述条件（核心区外 ${nearKm} 公里内至少 ${minSites} 个计入点位）的扇区个数。`,
      en: `Occupied sectors is the number of sectors with at least ${minSites} counted site(s) outside the core within ${nearKm} km of its boundary.`,
    },
    nearDensity: {
      zh: `近域密度是核心区外、距边界不超过 ${nearKm} 公里的计入点位数除以该环带的面积（个/平方公里）。`,
      en: `Near density is the number of counted sites outside the core within ${nearKm} km of its boundary divided by that ring's area (sites per km²).`,
    },
    farDensity: {
      zh: `远域密度是最外一带（距边界 ${farFrom}–${farTo} 公里）的计入点位数除以该带面积（个/平方公里）。`,
      en: `Far density is the number of counted sites in the outermost band (${farFrom}–${farTo} km from the boundary) divided by its area (sites per km²).`,
    },
    densityRatio: {
      zh: '近远密度比是近域密度除以远域密度，远域密度为 0 时为空。',
      en: 'Density ratio is near density divided by far density, null when the far density is 0.',
    },
    concretePlantsNearCore: {
      zh: `核心区周边商混站是位于核心区内或距核心区边界 ${CONCRETE_NEAR_KM} 公里以内的计入商混站，核心区内的距离记为 0。`,
      en: `Concrete plants near the core are the counted concrete plants inside the core or within ${CONCRETE_NEAR_KM} km of its boundary, with distance 0 inside.`,
    },
    unassigned: {
      zh: `未归带点位数是距核心区边界超过 ${farTo} 公里、不落入任何格子的计入点位数。`,
      en: `Unassigned is the number of counted sites more than ${farTo} km from the core's boundary, in no cell.`,
    },
  };
}
