// 016: the sites an import batch created, found by an index instead of a scan of every site (the
// undo of a batch deletes them in one statement; the commit reads them back to fill the R*Tree and
// the feature JSON). Partial: sites entered by hand (import_batch NULL) take no room in it.
export const sql = /* sql */ `
CREATE INDEX sites_import_batch ON sites(import_batch) WHERE import_batch IS NOT NULL;
`;
