// Industrial siege (工业围城, issue 5): counted industrial sites in distance bands around the urban
// core crossed with compass sectors, with summary figures. Pure: sites and a core polygon in,
// plain data out; the API, the map, the tests and the benchmark all call this one function.
//
// Placement rules:
// - Inside the core (turf.booleanPointInPolygon, boundary included) → band 0, one cell, no sector.
// - Otherwise d = geodesic distance to the core's boundary in km (all rings, holes too) and the
//   site goes to band k ≥ 1 when bandsKm[k-1] ≤ d < bandsKm[k]; the last band is closed,
//   bandsKm[n-1] ≤ d ≤ bandsKm[n]; beyond it the site is unassigned. Each site gets exactly one band.
// - Sector: the bearing from the core's area centroid (turf.bearing's formula, inlined for speed and
//   tested equal), normalised to [0, 360); sector 0 is centred on north, numbered clockwise; a
//   bearing exactly on a sector edge goes to the clockwise sector. Inside-core sites have no sector.
// - Near: outside the core with d ≤ nearKm (whatever the band edges); occupancy and the near density
//   use these. If nearKm reaches past the last edge, such a site counts as near but sits in no cell.
import { booleanPointInPolygon } from '@turf/turf';
import type { CategoryCode } from '../../domain/categories.ts';
import { geometryBbox } from '../../domain/locate-county.ts';
import { siegeGeometry } from './siege-cells.ts';
import { describeSiege } from './siege-definitions.ts';
import { boundarySegments, compassBearing, distanceToBoundaryKm, sectorOf } from './siege-distance.ts';
import { CONCRETE_NEAR_KM, makeSiteFilter, resolveSiegeOptions } from './siege-options.ts';
import type { ConcretePlantNearCore, SiegeCell, SiegeOptions, SiegePlacement, SiegeResult, SiegeSite } from './siege-types.ts';

export { compareSiege } from './siege-compare.ts';
export type { SiegeCellChange, SiegeComparison } from './siege-compare.ts';
export { defaultCore, DEFAULT_CORE_RADIUS_KM } from './siege-core.ts';
export {
  CONCRETE_NEAR_KM,
  DEFAULT_BANDS_KM,
  DEFAULT_MIN_SITES,
  DEFAULT_NEAR_KM,
  DEFAULT_SECTORS,
  MAX_SECTORS,
  SIEGE_GONE_STATUSES,
  SiegeOptionError,
  // Validates and fills options without building any cells: cheap check of a drawn core.
  resolveSiegeOptions,
} from './siege-options.ts';
export type * from './siege-types.ts';

function emptyByCategory(categories: readonly CategoryCode[]): Partial<Record<CategoryCode, number>> {
  const counts: Partial<Record<CategoryCode, number>> = {};
  for (const category of categories) counts[category] = 0;
  return counts;
}

export function analyzeSiege(sites: readonly SiegeSite[], options: SiegeOptions): SiegeResult {
  const resolved = resolveSiegeOptions(options);
  const { bandsKm, sectors, categories, minSites, nearKm } = resolved;
  const core = options.core;
  const geometry = siegeGeometry(core, bandsKm, sectors, nearKm);
  const [centroidLon, centroidLat] = geometry.centroid;
  const segments = boundarySegments(core.geometry);
  const [minLon, minLat, maxLon, maxLat] = geometryBbox(core.geometry);
  const isCounted = makeSiteFilter(resolved);

  const bandCount = bandsKm.length - 1;
  const lastEdge = bandsKm[bandCount]!;
  // Cell index: 0 = inside the core, then band by band, sector by sector.
  const cellIndex = (band: number, sector: number): number => 1 + (band - 1) * sectors + sector;
  const cellCounts = new Array<number>(1 + bandCount * sectors).fill(0);
  const cellSiteIds: number[][] = Array.from({ length: cellCounts.length }, () => []);
  const cellByCategory = cellCounts.map(() => emptyByCategory(categories));
  const nearCountBySector = new Array<number>(sectors).fill(0);

  const placements: SiegePlacement[] = [];
  const concretePlants: ConcretePlantNearCore[] = [];
  let unassigned = 0;
  let unlocated = 0;
  let nearSites = 0;

  for (const site of sites) {
    if (!isCounted(site)) continue;
    const { lon, lat } = site;
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
      unlocated++;
      continue;
    }
    const inBbox = lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat;
    const inside = inBbox && booleanPointInPolygon([lon, lat], core);
    let band = 0;
    let sector: number | null = null;
    let bearing: number | null = null;
    let distanceKm = 0;
    if (!inside) {
      distanceKm = distanceToBoundaryKm(segments, lon, lat);
      const near = distanceKm <= nearKm;
      if (distanceKm > lastEdge && !near) {
        unassigned++;
        continue;
      }
      bearing = compassBearing(centroidLon, centroidLat, lon, lat);
      sector = sectorOf(bearing, sectors);
      if (near) {
        nearSites++;
        nearCountBySector[sector]!++;
      }
      if (distanceKm > lastEdge) {
        unassigned++;
        continue;
      }
      band = bandCount;
      for (let k = 1; k < bandCount; k++)
        if (distanceKm < bandsKm[k]!) {
          band = k;
          break;
        }
    }
    const index = sector === null ? 0 : cellIndex(band, sector);
    cellCounts[index]!++;
    cellSiteIds[index]!.push(site.id);
    const byCategory = cellByCategory[index]!;
    byCategory[site.category] = (byCategory[site.category] ?? 0) + 1;
    const name = site.name ?? null;
    placements.push({ id: site.id, name, category: site.category, status: site.status, band, sector, distanceKm, bearing });
    if (site.category === 'concrete_plant' && distanceKm <= CONCRETE_NEAR_KM) concretePlants.push({ id: site.id, name, distanceKm });
  }

  const coreName = core.properties?.['name'];
  const features: SiegeCell[] = [
    {
      type: 'Feature',
      properties: {
        band: 0,
        inside: true,
        bandFromKm: 0,
        bandToKm: 0,
        sector: null,
        bearingFrom: null,
        bearingTo: null,
        areaKm2: geometry.coreAreaKm2,
        count: cellCounts[0]!,
        byCategory: cellByCategory[0]!,
        density: cellCounts[0]! / geometry.coreAreaKm2,
        siteIds: cellSiteIds[0]!,
      },
      geometry: structuredClone(core.geometry),
    },
  ];
  for (const cell of geometry.cells) {
    const index = cellIndex(cell.band, cell.sector);
    const count = cellCounts[index]!;
    features.push({
      type: 'Feature',
      properties: {
        band: cell.band,
        inside: false,
        bandFromKm: bandsKm[cell.band - 1]!,
        bandToKm: bandsKm[cell.band]!,
        sector: cell.sector,
        bearingFrom: cell.bearingFrom,
        bearingTo: cell.bearingTo,
        areaKm2: cell.areaKm2,
        count,
        byCategory: cellByCategory[index]!,
        density: cell.areaKm2 > 0 ? count / cell.areaKm2 : 0,
        siteIds: cellSiteIds[index]!,
      },
      geometry: cell.geometry,
    });
  }

  const farRing = geometry.rings[geometry.rings.length - 1]!;
  let farSites = 0;
  for (let sector = 0; sector < sectors; sector++) farSites += cellCounts[cellIndex(bandCount, sector)]!;
  const farDensity = farSites / farRing.areaKm2;
  const nearDensity = nearSites / geometry.nearAreaKm2;
  const occupiedSectors = nearCountBySector.filter((count) => count >= minSites).length;
  concretePlants.sort((a, b) => a.distanceKm - b.distanceKm || a.id - b.id);

  return {
    core: {
      name: typeof coreName === 'string' ? coreName : null,
      isDefault: core.properties?.['isDefault'] === true,
      centroid: geometry.centroid,
      areaKm2: geometry.coreAreaKm2,
    },
    options: resolved,
    cells: { type: 'FeatureCollection', features },
    summary: {
      sites: placements.length,
      insideCore: cellCounts[0]!,
      occupancy: occupiedSectors / sectors,
      occupiedSectors,
      sectors,
      nearCountBySector,
      nearSites,
      nearAreaKm2: geometry.nearAreaKm2,
      nearDensity,
      farSites,
      farAreaKm2: farRing.areaKm2,
      farDensity,
      densityRatio: farDensity > 0 ? nearDensity / farDensity : null,
      concretePlantsNearCore: concretePlants,
    },
    definitions: describeSiege(resolved),
    unassigned,
    unlocated,
    placements,
  };
}
