// 003: a site is born 'discovered' and changes status only through events (its first event is
// written in the same transaction). Migration 001 guarded UPDATEs; this guards INSERTs too.
export const sql = /* sql */ `
CREATE TRIGGER sites_insert_status_guard BEFORE INSERT ON sites WHEN NEW.status IS NOT 'discovered' BEGIN
  SELECT RAISE(ABORT, 'a new site starts as discovered; later statuses come from site_events');
END;
CREATE TRIGGER roads_insert_status_guard BEFORE INSERT ON road_segments WHEN NEW.status IS NOT 'reported' BEGIN
  SELECT RAISE(ABORT, 'a new road segment starts as reported; later statuses come from road_events');
END;
`;
