// 006: each site keeps its GeoJSON properties (all but the status, which depends on `asOf`) as
// JSON text, rebuilt by trigger on every write, so listing 10^4 sites is string concatenation
// rather than 10^4 json_object calls. Setting it to NULL (e.g. after county names change) rebuilds it.
/** The cached properties of the site `NEW.id` (bulk writers substitute their own id expression). */
export const PROPS = /* sql */ `(SELECT json_object(
    'name', s.name, 'category', s.category, 'sector', s.sector,
    'county', s.county_code, 'countyName', c.name, 'township', s.township_code, 'townshipName', t.name,
    'village', s.village_code, 'villageName', v.name, 'address', s.address, 'managingZone', s.managing_zone,
    'precision', s.precision, 'source', s.source, 'discoveredOn', s.discovered_on, 'deadline', s.deadline,
    'responsibleUnit', s.responsible_unit, 'updatedAt', s.updated_at, 'version', s.version)
  FROM sites s JOIN counties c ON c.code = s.county_code
  LEFT JOIN townships t ON t.code = s.township_code LEFT JOIN villages v ON v.code = s.village_code
  WHERE s.id = NEW.id)`;

export const sql = /* sql */ `
ALTER TABLE sites ADD COLUMN feature_props TEXT;

CREATE TRIGGER sites_feature_props_insert AFTER INSERT ON sites BEGIN
  UPDATE sites SET feature_props = ${PROPS} WHERE id = NEW.id;
END;
CREATE TRIGGER sites_feature_props_update AFTER UPDATE ON sites
WHEN NEW.feature_props IS OLD.feature_props OR NEW.feature_props IS NULL BEGIN
  UPDATE sites SET feature_props = ${PROPS} WHERE id = NEW.id;
END;

UPDATE sites SET feature_props = NULL;
`;
