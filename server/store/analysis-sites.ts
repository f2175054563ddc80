// Located sites in the compact form the analyses take, each in its status on `asOf`.
import type { Db } from '../db/database.ts';
import type { CategoryCode, SectorCode } from '../../domain/categories.ts';
import type { RecordSource, StatusCode } from '../../domain/statuses.ts';
import { siteFilterSql, type SiteFilters } from './site-filters.ts';

export interface AnalysisSite {
  id: number;
  name: string;
  lon: number;
  lat: number;
  category: CategoryCode;
  sector: SectorCode | null;
  status: StatusCode;
  county: string;
  source: RecordSource;
  discoveredOn: string;
}

export function analysisSites(db: Db, filters: SiteFilters): AnalysisSite[] {
  const filter = siteFilterSql({ ...filters, located: true });
  return db.all<AnalysisSite>(
    `SELECT s.id, s.name, s.lon, s.lat, s.category, s.sector, f.status, s.county_code AS county, s.source, s.discovered_on AS discoveredOn
     FROM (${filter.sql}) f JOIN sites s ON s.id = f.id ORDER BY s.id`,
    filter.params,
  );
}
