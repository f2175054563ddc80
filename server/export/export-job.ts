// One export described as plain data (which layer, which filters, which format), so it can be built
// on a worker thread (server/export/export-pool.ts) as well as here: the records are read through
// the same store queries as the API's lists — the sites streamed from an iterator, never all in memory.
import { STATUS_CODES } from '../../domain/statuses.ts';
import type { Db } from '../db/database.ts';
import { countyName } from '../store/county-names.ts';
import { listRoads, type RoadFilters } from '../store/road-store.ts';
import type { SiteFilters } from '../store/site-filters.ts';
import { iterateSiteRecords, siteRecordCounts } from '../store/site-queries.ts';
import { recordProvenance } from '../store/provenance.ts';
import { writeExport, type ExportFile, type ExportFormat, type ExportMeta } from './download.ts';
import { roadLayer, siteLayer } from './layers.ts';

export type ExportJob =
  | { layer: 'roads'; format: ExportFormat; meta: ExportMeta; roads: RoadFilters }
  /** `roads`: the road segments a GeoPackage of the sites carries as its second layer. */
  | { layer: 'sites'; format: ExportFormat; meta: ExportMeta; sites: SiteFilters; roads?: RoadFilters };

/** Reads the records of `job` from `db` and writes its file to `path`. */
export async function runExportJob(db: Db, job: ExportJob, path: string): Promise<ExportFile> {
  const roadsOf = (filters: RoadFilters) =>
    roadLayer(
      listRoads(db, filters).map((road) => ({
        ...road,
        countyName: road.properties.county ? countyName(db, road.properties.county) : null,
        provenance: recordProvenance(db, 'road_segments', road.id),
      })),
    );
  if (job.layer === 'roads') return writeExport(roadsOf(job.roads), job.format, job.meta, path);
  const filters = job.sites;
  const sites = siteLayer({
    rows: () => iterateSiteRecords(db, filters),
    rowsByStatus: () => iterateSiteRecords(db, filters, STATUS_CODES),
    counts: () => siteRecordCounts(db, filters),
  });
  return writeExport(sites, job.format, job.meta, path, job.roads ? roadsOf(job.roads) : undefined);
}
