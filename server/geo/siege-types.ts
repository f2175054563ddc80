// Types of the industrial-siege analysis (工业围城, issue 5). Plain data in, plain data out.
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { CategoryCode, SectorCode } from '../../domain/categories.ts';
import type { StatusCode } from '../../domain/statuses.ts';

export type CoreFeature = Feature<Polygon | MultiPolygon>;

export interface SiegeSite {
  id: number;
  lon: number;
  lat: number;
  category: CategoryCode;
  status: StatusCode;
  /** Only meaningful for scattered_firm: industrial or null count as industry, agricultural/service do not. */
  sector?: SectorCode | null;
  name?: string;
  source?: 'real' | 'demo';
}

export interface SiegeOptions {
  /** The urban core polygon (WGS84). Its `name` / `isDefault` properties are echoed in the result. */
  core: CoreFeature;
  /** Band edges in km outward from the core's boundary; default [0, 2, 5, 10, 20]. */
  bandsKm?: number[];
  /** Compass sectors centred on the core's centroid; default 16, sector 0 centred on due north, clockwise. */
  sectors?: number;
  /** Categories counted; default INDUSTRIAL_CATEGORIES. */
  categories?: CategoryCode[];
  /** Default true: leave out closed, verified and relocated sites. */
  openOnly?: boolean;
  /** Sites a sector needs within nearKm to count as occupied; default 1. */
  minSites?: number;
  /** Reach of "near the core" in km from its boundary; default 5. */
  nearKm?: number;
}

/** Options with every default filled in, echoed in the result. */
export interface ResolvedSiegeOptions {
  bandsKm: number[];
  sectors: number;
  categories: CategoryCode[];
  openOnly: boolean;
  minSites: number;
  nearKm: number;
}

export interface SiegeCellProperties {
  /** 0 = inside the core; k ≥ 1 = the ring [bandsKm[k-1], bandsKm[k]) km from the boundary. */
  band: number;
  inside: boolean;
  /** Inside the core both are 0. */
  bandFromKm: number;
  bandToKm: number;
  /** null for the inside-the-core cell. */
  sector: number | null;
  /** Compass bearings in [0, 360) from the core's centroid; a sector wraps north when bearingFrom > bearingTo. */
  bearingFrom: number | null;
  bearingTo: number | null;
  /** Geodesic area (turf.area) in km². */
  areaKm2: number;
  count: number;
  /** Every counted category, zeros included. */
  byCategory: Partial<Record<CategoryCode, number>>;
  /** count / areaKm2 (sites per km²). */
  density: number;
  siteIds: number[];
}

export type SiegeCell = Feature<Polygon | MultiPolygon, SiegeCellProperties>;

/** Where one counted site fell. */
export interface SiegePlacement {
  id: number;
  name: string | null;
  category: CategoryCode;
  status: StatusCode;
  band: number;
  sector: number | null;
  /** Geodesic distance to the core's boundary in km; 0 inside the core. */
  distanceKm: number;
  /** Bearing from the core's centroid in [0, 360); null inside the core. */
  bearing: number | null;
}

export interface ConcretePlantNearCore {
  id: number;
  name: string | null;
  distanceKm: number;
}

export interface SiegeSummary {
  /** Counted sites placed in a cell (inside the core plus every band; unassigned ones excluded). */
  sites: number;
  insideCore: number;
  /** occupiedSectors / sectors, 0..1. */
  occupancy: number;
  occupiedSectors: number;
  sectors: number;
  /** Counted sites outside the core within nearKm of its boundary, per sector (for a radial chart). */
  nearCountBySector: number[];
  nearSites: number;
  nearAreaKm2: number;
  nearDensity: number;
  farSites: number;
  farAreaKm2: number;
  farDensity: number;
  densityRatio: number | null;
  concretePlantsNearCore: ConcretePlantNearCore[];
}

export interface SiegeDefinition {
  zh: string;
  en: string;
}

export type SiegeDefinitionKey =
  | 'counted'
  | 'bandRule'
  | 'sectorRule'
  | 'sites'
  | 'insideCore'
  | 'occupancy'
  | 'occupiedSectors'
  | 'nearDensity'
  | 'farDensity'
  | 'densityRatio'
  | 'concretePlantsNearCore'
  | 'unassigned';

export interface SiegeCoreInfo {
  name: string | null;
  isDefault: boolean;
  /** Area-weighted centroid [lon, lat]: the centre of the sectors. */
  centroid: [number, number];
  areaKm2: number;
}

export interface SiegeResult {
  core: SiegeCoreInfo;
  options: ResolvedSiegeOptions;
  cells: FeatureCollection<Polygon | MultiPolygon, SiegeCellProperties>;
  summary: SiegeSummary;
  definitions: Record<SiegeDefinitionKey, SiegeDefinition>;
  /** Counted sites farther from the core than the last band edge. */
  unassigned: number;
  /** Sites without finite coordinates (not placed, not counted anywhere). */
  unlocated: number;
  /** Every site placed in a cell, in input order. */
  placements: SiegePlacement[];
}
