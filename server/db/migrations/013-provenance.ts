// 013: where a real record comes from, kept beside the data instead of inside its note: the source
// document, the task number in it and the document's own words (quoted in Chinese, verbatim).
// Filled by the plan seed; NULL for demo, imported and user-created records. A quote needs a document.
const columns = (table: string) => /* sql */ `
ALTER TABLE ${table} ADD COLUMN source_document TEXT;
ALTER TABLE ${table} ADD COLUMN source_task INTEGER CHECK (source_task IS NULL OR source_document IS NOT NULL);
ALTER TABLE ${table} ADD COLUMN source_quote TEXT CHECK (source_quote IS NULL OR source_document IS NOT NULL);
`;

export const sql = columns('sites') + columns('road_segments');
