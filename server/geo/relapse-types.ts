// Types of the relapse-hotspot analysis (死灰复燃与转移热点, issue 6). Plain data in, plain data out.
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import type { CategoryCode } from '../../domain/categories.ts';
import type { StatusCode } from '../../domain/statuses.ts';

export interface RelapseStatusEvent {
  to: StatusCode;
  /** YYYY-MM-DD. */
  date: string;
}

export interface RelapseSiteInput {
  id: number;
  name: string;
  category: CategoryCode;
  lon: number | null;
  lat: number | null;
  county: string;
  township: string | null;
  /** YYYY-MM-DD. */
  discoveredOn: string;
  /** Status events in date order (ties kept in the given order). */
  events: RelapseStatusEvent[];
}

export type MoveDecision = 'confirmed' | 'dismissed';

export interface RelapseOptions {
  /** First day of the window (YYYY-MM-DD, inclusive); default: no lower bound. */
  from?: string;
  /** Last day of the window (YYYY-MM-DD, inclusive); default: no upper bound. */
  to?: string;
  /** Only events (and sites discovered) on or before this day are seen; default: everything. */
  asOf?: string;
  /** Categories counted; default all. */
  categories?: CategoryCode[];
  /** County names (as on the sites); default all. */
  counties?: string[];
  /** Largest distance from a closed site to a "moved" new site, km; default 3. */
  radiusKm?: number;
  /** Largest number of days from the closure to the new site's discovery; default 180. */
  withinDays?: number;
  /** Hexagon size: distance between neighbouring cell centres (flat-to-flat width), km; default 1. */
  cellKm?: number;
  /** Officials' decisions on move candidates, keyed by moveKey(oldId, newId). */
  decisions?: ReadonlyMap<string, MoveDecision>;
  /**
   * The study area: county polygons (code as on the sites). The grid then holds only the cells
   * whose centre lies in one of them (of the chosen counties) or that hold a counted site; without
   * it, every cell of the bbox of the counted sites.
   */
  studyArea?: readonly { code: string; geometry: Polygon | MultiPolygon }[];
  /** Multiple-testing correction of the cells' p-values: 'fdr' (Benjamini–Hochberg, default) or 'none'. */
  correction?: HotspotCorrection;
}

export type HotspotCorrection = 'fdr' | 'none';

/** Options with every default filled in, echoed in the result. */
export interface ResolvedRelapseOptions {
  from: string | null;
  to: string | null;
  asOf: string | null;
  categories: CategoryCode[];
  counties: string[] | null;
  radiusKm: number;
  withinDays: number;
  cellKm: number;
  correction: HotspotCorrection;
}

export interface RelapseEvent {
  siteId: number;
  name: string;
  category: CategoryCode;
  /** Day of the move to relapsed. */
  date: string;
  /** Day of the closure it relapsed from (see definitions.closedOn); null when the history has none. */
  closedOn: string | null;
  /** The status of that closure: closed, upgraded, relocated (or verified when only that is recorded). */
  closedAs: StatusCode | null;
  daysSinceClosure: number | null;
  lon: number | null;
  lat: number | null;
  county: string;
  township: string | null;
}

export interface MoveCandidate {
  /** moveKey(fromId, toId). */
  key: string;
  fromId: number;
  toId: number;
  fromName: string;
  toName: string;
  category: CategoryCode;
  /** Closure day of the old site used for this pair (the latest one before the discovery). */
  closedOn: string;
  /** Discovery day of the new site. */
  discoveredOn: string;
  /** Geodesic (haversine) distance, km. */
  distanceKm: number;
  /** discoveredOn − closedOn in days, 1..withinDays. */
  days: number;
  /** Character-bigram Dice coefficient of the stripped names, 0..1. */
  nameSimilarity: number;
  /** 0.35·(1 − distanceKm/radiusKm) + 0.25·(1 − days/withinDays) + 0.4·nameSimilarity, 0..1. */
  score: number;
  decision: MoveDecision | null;
  county: string;
  township: string | null;
  /** From the old place to the new. */
  line: LineString;
}

export type HotspotConfidence = 90 | 95 | 99;

export interface HotspotCellProperties {
  id: number;
  /** Offset (odd-q) column and row of the hexagon in the grid. */
  column: number;
  row: number;
  /** relapses + moves. */
  count: number;
  relapses: number;
  /** New sites with at least one candidate that is not dismissed. */
  moves: number;
  /** Getis-Ord Gi* z-score. */
  z: number;
  /** Two-sided p-value of z (before correction). */
  p: number;
  confidence: HotspotConfidence | null;
  kind: 'hot' | 'cold' | null;
}

export type HotspotCell = Feature<Polygon, HotspotCellProperties>;

export interface HotspotGridInfo {
  /** Centre of the local equirectangular frame [lon, lat]. */
  centre: [number, number];
  /** Flat-to-flat width = distance between neighbouring centres, km. */
  cellKm: number;
  /** Side (= centre-to-vertex radius), km: cellKm / √3. */
  sideKm: number;
  areaKm2: number;
  columns: number;
  rows: number;
  /** 'counties': cells inside the study area's county polygons; 'bbox': every cell of the sites' bbox. */
  extent: 'counties' | 'bbox';
  /** Cells in the analysis (n of Gi*). */
  cells: number;
  /** The neighbourhood of each cell's Gi*: the cell and the cells sharing an edge with it (centres within 1.01 cell widths). */
  neighbourhood: HotspotNeighbourhood;
}

export interface HotspotNeighbourhood {
  kind: 'hexagon-edge';
  /** Neighbours are the cells whose centres lie within this distance (1.01 × cellKm); the cell itself is included. */
  distanceKm: number;
  /** Cells in a neighbourhood, the cell itself included: fewest, most and mean over the grid (edge cells have fewer). */
  fewest: number;
  most: number;
  mean: number;
}

export interface RelapseRate {
  county: string;
  /** null in the per-county list; in the per-township list null means "no township recorded". */
  township: string | null;
  /** Sites with at least one closure (closed, upgraded or relocated) in the window. */
  closures: number;
  /** Moves to relapsed in the window. */
  relapses: number;
  /** relapses / closures; null when closures is 0. */
  rate: number | null;
}

export interface RelapseDefinition {
  zh: string;
  en: string;
}

export type RelapseDefinitionKey =
  | 'window'
  | 'relapses'
  | 'closedOn'
  | 'moves'
  | 'nameSimilarity'
  | 'score'
  | 'decision'
  | 'grid'
  | 'count'
  | 'giStar'
  | 'confidence'
  | 'neighbourhood'
  | 'rates';

export interface RelapseSummary {
  /** Moves to relapsed in the window: a site relapsing twice counts twice. */
  relapses: number;
  /** Sites with at least one of those relapses. */
  relapsedSites: number;
  /** Relapses without coordinates: listed, not in any cell. */
  unlocatedRelapses: number;
  /** Likely-move candidates in the whole list (at most MOVE_CANDIDATES_PER_SITE per new site). */
  moveCandidates: number;
  /** New sites counted in the hotspot cells as moves. */
  movesCounted: number;
  hotCells: Record<HotspotConfidence, number>;
  coldCells: Record<HotspotConfidence, number>;
  correction: HotspotCorrection;
  /** The two-sided p-value a cell must reach for each confidence level (after the correction; 0 when no cell does). */
  pCutoffs: Record<HotspotConfidence, number>;
}

export interface RelapseResult {
  options: ResolvedRelapseOptions;
  relapses: RelapseEvent[];
  /** The asked page of the likely moves (every kept candidate without a page), by score, highest first (then fromId, toId). */
  moves: MoveCandidate[];
  /** total: candidates in the whole list; limit: the page size (null: no page); next: the cursor of the next page, null after the last. */
  movesPage: { total: number; limit: number | null; next: string | null };
  cells: FeatureCollection<Polygon, HotspotCellProperties>;
  /** null when no located site is counted (no grid). */
  grid: HotspotGridInfo | null;
  rates: { counties: RelapseRate[]; townships: RelapseRate[] };
  summary: RelapseSummary;
  definitions: Record<RelapseDefinitionKey, RelapseDefinition>;
}
