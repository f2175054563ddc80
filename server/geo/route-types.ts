// Types of inspection-route planning (巡查路线, issue 7). Plain data in, plain data out; WGS84 throughout.

/** [longitude, latitude] in WGS84 degrees. */
export type LonLat = [number, number];

export interface RouteStop {
  id: number;
  lon: number;
  lat: number;
}

export interface PlanRouteOptions {
  /** Where the inspector sets out (WGS84). */
  start: LonLat;
  /** null/undefined: open route, ends at the last stop; 'start': back to the start; a point: ends there. */
  end?: LonLat | 'start' | null;
  /** Road distance ≈ straight-line distance × this factor; default 1.3, from 1 to 3. */
  detourFactor?: number;
  /** Average driving speed in km/h; default 30. */
  speedKmh?: number;
  /** Minutes spent at each stop; default 20. */
  minutesPerStop?: number;
}

/** Options with every default filled in; `end` is null for an open route and a point otherwise. */
export interface ResolvedRouteOptions {
  start: LonLat;
  end: LonLat | null;
  closed: boolean;
  detourFactor: number;
  speedKmh: number;
  minutesPerStop: number;
}

export interface PlannedStop {
  id: number;
  /** 1-based position in the route. */
  seq: number;
  lon: number;
  lat: number;
  /** Modelled road km from the previous stop (from the start for seq 1). */
  legKm: number;
}

export interface DistanceModel {
  zh: string;
  en: string;
  detourFactor: number;
}

export interface PlannedRoute {
  order: PlannedStop[];
  start: LonLat;
  /** The end point (the start again for a closed route); null for an open route. */
  end: LonLat | null;
  /** Modelled km from the last stop to the end; 0 for an open route. */
  endLegKm: number;
  /** Modelled km of the whole route, the end leg included. */
  totalKm: number;
  /** Driving time at speedKmh plus minutesPerStop at each stop, rounded to whole minutes. */
  minutes: number;
  distanceModel: DistanceModel;
  options: ResolvedRouteOptions;
}
