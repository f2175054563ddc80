// The cluster worker's work, run in Node on the same code (domain/cluster-index.ts): building the
// per-county supercluster indexes for N sites, and answering one viewport.
import { CITY_SEAT } from '../../server/seed/demo.ts';
import { CountyClusterIndex, type ClusterQuery } from '../../domain/cluster-index.ts';
import type { BenchContext } from '../lib/context.ts';
import { formatCount, formatMs, median, timingRow, type Row } from '../lib/measure.ts';
import { generateSites, toClusterSites } from '../synthetic.ts';

/** The page's first view (web/state/url-state.ts) in a 1280×800 map. */
export const INITIAL_VIEW = { center: [113.88, 33.7] as [number, number], zoom: 8.9 };
export const VIEWPORT = { width: 1280, height: 800 };

/** The bbox a MapLibre map of this size shows (512 px tiles, Web Mercator). */
export function viewportBbox(center: readonly [number, number], zoom: number, width = VIEWPORT.width, height = VIEWPORT.height): ClusterQuery['bbox'] {
  const worldSize = 512 * 2 ** zoom;
  const x = ((center[0] + 180) / 360) * worldSize;
  const latRad = (center[1] * Math.PI) / 180;
  const y = ((1 - Math.log(Math.tan(Math.PI / 4 + latRad / 2)) / Math.PI) / 2) * worldSize;
  const lon = (px: number) => (px / worldSize) * 360 - 180;
  const lat = (py: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * py) / worldSize))) * 180) / Math.PI;
  return [lon(x - width / 2), lat(y + height / 2), lon(x + width / 2), lat(y - height / 2)];
}

const VIEWS = [
  { name: 'initial view (whole city, z 8.9)', center: INITIAL_VIEW.center, zoom: INITIAL_VIEW.zoom },
  { name: 'urban close-up (city seat, z 13)', center: [CITY_SEAT[0], CITY_SEAT[1]] as [number, number], zoom: 13 },
];

export async function cluster(context: BenchContext): Promise<Row[]> {
  const { fixtures, log } = context;
  const sizes = context.big ? [100_000, 1_000_000] : [100_000];
  const rows: Row[] = [];
  for (const size of sizes) {
    const sites = toClusterSites(generateSites(fixtures.geography(), size));
    const sizeText = `10^${Math.log10(size)} sites`;
    const buildRuns = size >= 1_000_000 ? 3 : 7;
    const builds: number[] = [];
    let index: CountyClusterIndex | null = null;
    let cold = 0;
    for (let run = 0; run <= buildRuns; run++) {
      const started = performance.now();
      index = new CountyClusterIndex(sites);
      const ms = performance.now() - started;
      if (run === 0) cold = ms;
      else builds.push(ms);
      // Let the event loop breathe between builds (progress output, signals).
      await new Promise((resolve) => setImmediate(resolve));
    }
    log(`cluster build ${size}: ${formatMs(median(builds))} (first ${formatMs(cold)})`);
    rows.push(
      timingRow({
        figure: 'cluster indexes build (CountyClusterIndex, Node)',
        size: sizeText,
        samples: builds,
        target: size === 100_000 ? { text: '< 1 s', met: (ms) => ms < 1000 } : undefined, // the targets are set for 10^5 sites
        notes: `one supercluster per county (radius 60, maxZoom 15); first (cold, un-JITted) build ${formatMs(cold)}, not in the median`,
      }),
    );
    for (const view of VIEWS) {
      const query = { bbox: viewportBbox(view.center, view.zoom), zoom: view.zoom };
      const times: number[] = [];
      let features = 0;
      let first = 0;
      for (let run = 0; run <= 21; run++) {
        const started = performance.now();
        features = index!.query(query).length;
        const ms = performance.now() - started;
        if (run === 0) first = ms;
        else times.push(ms);
      }
      rows.push(
        timingRow({
          figure: `cluster viewport query, ${view.name} (Node)`,
          size: sizeText,
          samples: times,
          target: size === 100_000 ? { text: '< 20 ms', met: (ms) => ms < 20 } : undefined,
          notes: `${VIEWPORT.width}×${VIEWPORT.height} px → ${formatCount(features)} clusters/points; first query ${formatMs(first)}`,
        }),
      );
    }
  }
  return rows;
}
