// One export described as plain data (which layer, which filters, which format), so it can be built
// on a worker thread (server/export/export-pool.ts) as well as here: the records are read through
// the same store queries as the API's lists.
import type { Db } from '../db/database.ts';
import { countyName } from '../store/county-names.ts';
import { listRoads, type RoadFilters } from '../store/road-store.ts';
import type { SiteFilters } from '../store/site-filters.ts';
import { listSiteRecords } from '../store/site-queries.ts';
import { recordProvenance } from '../store/provenance.ts';
import { buildExport, type ExportFile, type ExportFormat, type ExportMeta } from './download.ts';
import { roadLayer, siteLayer } from './layers.ts';

export type ExportJob =
  | { layer: 'roads'; format: ExportFormat; meta: ExportMeta; roads: RoadFilters }
  /** `roads`: the road segments a GeoPackage of the sites carries as its second layer. */
  | { layer: 'sites'; format: ExportFormat; meta: ExportMeta; sites: SiteFilters; roads?: RoadFilters };

/** Reads the records of `job` from `db` and builds its file. */
export async function runExportJob(db: Db, job: ExportJob): Promise<ExportFile> {
  const roadsOf = (filters: RoadFilters) =>
    roadLayer(
      listRoads(db, filters).map((road) => ({
        ...road,
        countyName: road.properties.county ? countyName(db, road.properties.county) : null,
        provenance: recordProvenance(db, 'road_segments', road.id),
      })),
    );
  if (job.layer === 'roads') return buildExport(roadsOf(job.roads), job.format, job.meta);
  return buildExport(siteLayer(listSiteRecords(db, job.sites)), job.format, job.meta, job.roads ? roadsOf(job.roads) : undefined);
}
