// The siege analysis as a job of services/analysis-jobs.ts (imported there when a siege is first
// asked for: turf and the CSV writer are not loaded by a thread that only runs relapse analyses).
import type { CategoryCode } from '../../domain/categories.ts';
import type { Db } from '../db/database.ts';
import { badRequest } from '../errors.ts';
import { siegeCsv, siegeDownloadName } from '../export/siege-csv.ts';
import { analyzeSiege, compareSiege, SiegeOptionError, type SiegeResult } from '../geo/analyze-siege.ts';
import { analysisSites } from '../store/analysis-sites.ts';
import { getCore, type CoreFeature } from '../store/core-store.ts';
import { json, type AnalysisJob, type AnalysisReply, type SiegeRequest } from './analysis-jobs.ts';

function siegeAt(db: Db, core: CoreFeature, options: SiegeRequest, asOf: string | undefined): SiegeResult {
  const sites = analysisSites(db, { asOf }).map((site) => ({ ...site, name: site.name }));
  try {
    return analyzeSiege(sites, { ...options, core, categories: options.categories as CategoryCode[] | undefined });
  } catch (error) {
    if (error instanceof SiegeOptionError) throw badRequest('bad_parameter', error.message, { parameter: error.parameter, ...error.problem });
    throw error;
  }
}

export function siegeJob(db: Db, job: Extract<AnalysisJob, { kind: 'siege' }>): AnalysisReply {
  const core = getCore(db, job.core);
  const result = siegeAt(db, core, job.options, job.asOf);
  // Downloads: the cells as GeoJSON, the cell table as CSV (the typed client uses the JSON form).
  if (job.format === 'geojson' || job.format === 'csv') {
    const geojson = job.format === 'geojson';
    const date = job.asOf ?? job.today;
    return {
      body: geojson
        ? JSON.stringify({ type: 'FeatureCollection', name: core.properties.name, features: result.cells.features })
        : siegeCsv(result, core.properties, date),
      headers: {
        'content-type': geojson ? 'application/geo+json; charset=utf-8' : 'text/csv; charset=utf-8',
        'content-disposition': siegeDownloadName(core.properties, date, job.format),
      },
    };
  }
  const comparison = job.compareTo ? { compareTo: job.compareTo, ...compareSiege(siegeAt(db, core, job.options, job.compareTo), result) } : null;
  return json({
    ...result,
    core: { ...result.core, id: core.properties.id, name: core.properties.name, isDefault: core.properties.isDefault },
    asOf: job.asOf ?? null,
    comparison,
  });
}
