// The hexagon grid of the relapse hotspots, built by index arithmetic (no point-in-polygon tests).
//
// Frame: a local equirectangular projection centred on the bbox centre (lon0, lat0) of the points,
// x = R·Δλ·cos(lat0), y = R·Δφ (km, turf's R). Being affine in lon/lat, it maps the hexagons'
// straight edges to straight lon/lat edges, so a point's computed cell is the very polygon that
// turf.booleanPointInPolygon would put it in. Its only error is scale: east–west lengths are off by
// cos(lat)/cos(lat0) − 1 ≈ −tan(lat0)·Δlat, about 0.46% at 0.4° (≈ 45 km) from the centre at
// Luohe's 33.6° N, i.e. cells a few metres narrower or wider at the far edges of the city — cells
// are equal in the frame, not exactly on the ground.
//
// Cells: flat-topped hexagons, cellKm = the flat-to-flat width = the distance between neighbouring
// centres; side (= centre-to-vertex) s = cellKm/√3, area (√3/2)·cellKm². Offset "odd-q" layout
// anchored on the bbox's south-west corner: cell (column c, row r) is centred at
// x = xmin + 1.5·s·c, y = ymin + cellKm·(r + (c odd ? ½ : 0)). The grid is every cell of the
// smallest column × row rectangle holding the cells of all points and of the bbox's four corners.
// A point is placed by converting (x, y) to fractional axial coordinates and rounding in cube
// coordinates (the standard exact hexagon rounding); neighbours are the six axial directions.
import { EARTH_RADIUS_KM, RADIANS } from './sphere.ts';
import type { Polygon, Position } from 'geojson';

const SQRT3 = Math.sqrt(3);
/** km per degree of latitude on turf's sphere (a local copy: read per point in hot loops). */
const KM_PER_DEGREE = EARTH_RADIUS_KM * RADIANS;
const AXIAL_DIRECTIONS: readonly (readonly [number, number])[] = [
  [1, 0],
  [1, -1],
  [0, -1],
  [-1, 0],
  [-1, 1],
  [0, 1],
];

export interface HexGrid {
  lon0: number;
  lat0: number;
  cosLat0: number;
  xMin: number;
  yMin: number;
  cellKm: number;
  sideKm: number;
  columnMin: number;
  rowMin: number;
  columns: number;
  rows: number;
  /** columns × rows. */
  size: number;
}

export function projectToGrid(grid: Pick<HexGrid, 'lon0' | 'lat0' | 'cosLat0'>, lon: number, lat: number): [number, number] {
  return [KM_PER_DEGREE * (lon - grid.lon0) * grid.cosLat0, KM_PER_DEGREE * (lat - grid.lat0)];
}

function unprojectFromGrid(grid: HexGrid, x: number, y: number): Position {
  return [grid.lon0 + x / (KM_PER_DEGREE * grid.cosLat0), grid.lat0 + y / KM_PER_DEGREE];
}

function parity(column: number): number {
  return column & 1; // two's complement: −1 & 1 = 1, so odd negative columns are odd too
}

/** Offset [column, row] of the hexagon holding the frame point (x, y) on the unbounded lattice. */
function offsetAt(xMin: number, yMin: number, cellKm: number, x: number, y: number): [number, number] {
  const side = cellKm / SQRT3;
  const q = (x - xMin) / (1.5 * side);
  const r = (y - yMin) / cellKm - q / 2;
  const s = -q - r;
  let roundQ = Math.round(q);
  let roundR = Math.round(r);
  const roundS = Math.round(s);
  const errorQ = Math.abs(roundQ - q);
  const errorR = Math.abs(roundR - r);
  const errorS = Math.abs(roundS - s);
  if (errorQ > errorR && errorQ > errorS) roundQ = -roundR - roundS;
  else if (errorR > errorS) roundR = -roundQ - roundS;
  return [roundQ, roundR + (roundQ - parity(roundQ)) / 2];
}

/** The grid over the bbox of the given points ([lon, lat] pairs); null when there are none. */
export function buildHexGrid(points: readonly (readonly [number, number])[], cellKm: number): HexGrid | null {
  if (points.length === 0) return null;
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const [lon, lat] of points) {
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  const lon0 = (minLon + maxLon) / 2;
  const lat0 = (minLat + maxLat) / 2;
  const frame = { lon0, lat0, cosLat0: Math.cos(lat0 * RADIANS) };
  const [xMin, yMin] = projectToGrid(frame, minLon, minLat);
  const [xMax, yMax] = projectToGrid(frame, maxLon, maxLat);
  let columnMin = Infinity;
  let columnMax = -Infinity;
  let rowMin = Infinity;
  let rowMax = -Infinity;
  const include = (x: number, y: number): void => {
    const [column, row] = offsetAt(xMin, yMin, cellKm, x, y);
    if (column < columnMin) columnMin = column;
    if (column > columnMax) columnMax = column;
    if (row < rowMin) rowMin = row;
    if (row > rowMax) rowMax = row;
  };
  include(xMin, yMin);
  include(xMin, yMax);
  include(xMax, yMin);
  include(xMax, yMax);
  for (const [lon, lat] of points) {
    const [x, y] = projectToGrid(frame, lon, lat);
    include(x, y);
  }
  const columns = columnMax - columnMin + 1;
  const rows = rowMax - rowMin + 1;
  return { ...frame, xMin, yMin, cellKm, sideKm: cellKm / SQRT3, columnMin, rowMin, columns, rows, size: columns * rows };
}

/** Cell id (row-major from the south-west: id = (row − rowMin)·columns + (column − columnMin)), or −1 outside the grid. */
export function cellIdOf(grid: HexGrid, column: number, row: number): number {
  const c = column - grid.columnMin;
  const r = row - grid.rowMin;
  if (c < 0 || c >= grid.columns || r < 0 || r >= grid.rows) return -1;
  return r * grid.columns + c;
}

export function cellPosition(grid: HexGrid, id: number): [number, number] {
  return [grid.columnMin + (id % grid.columns), grid.rowMin + Math.floor(id / grid.columns)];
}

/** Id of the cell holding a point, or −1 when it falls outside the grid. */
export function cellIdAt(grid: HexGrid, lon: number, lat: number): number {
  const [x, y] = projectToGrid(grid, lon, lat);
  const [column, row] = offsetAt(grid.xMin, grid.yMin, grid.cellKm, x, y);
  return cellIdOf(grid, column, row);
}

/** Centre of a cell in the frame, km. */
export function cellCentre(grid: HexGrid, id: number): [number, number] {
  const [column, row] = cellPosition(grid, id);
  return [grid.xMin + 1.5 * grid.sideKm * column, grid.yMin + grid.cellKm * (row + parity(column) / 2)];
}

/** Centre of a cell in WGS84 [lon, lat]. */
export function cellCentreLonLat(grid: HexGrid, id: number): Position {
  const [x, y] = cellCentre(grid, id);
  return unprojectFromGrid(grid, x, y);
}

/** The cell's hexagon in WGS84, counter-clockwise from its east vertex, closed. */
export function cellPolygon(grid: HexGrid, id: number): Polygon {
  const [x, y] = cellCentre(grid, id);
  const ring: Position[] = [];
  for (let vertex = 0; vertex < 6; vertex++) {
    const angle = (Math.PI / 3) * vertex;
    ring.push(unprojectFromGrid(grid, x + grid.sideKm * Math.cos(angle), y + grid.sideKm * Math.sin(angle)));
  }
  ring.push([...ring[0]!]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** Ids of the (up to six) cells sharing an edge with the cell, in the grid. */
export function cellNeighbours(grid: HexGrid, id: number): number[] {
  const [column, row] = cellPosition(grid, id);
  const q = column;
  const r = row - (column - parity(column)) / 2;
  const neighbours: number[] = [];
  for (const [dq, dr] of AXIAL_DIRECTIONS) {
    const nq = q + dq;
    const nr = r + dr;
    const neighbour = cellIdOf(grid, nq, nr + (nq - parity(nq)) / 2);
    if (neighbour >= 0) neighbours.push(neighbour);
  }
  return neighbours;
}
