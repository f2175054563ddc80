// The import wizard's server side: batches (with undo), saved column mappings, preview and commit.
import { api, unwrap } from '../api/client.ts';
import { DATA_AFTER, useApiQuery, useWrite } from './query.ts';

const loadBatches = () => unwrap(api.api.imports.$get());
export type ImportBatch = Awaited<ReturnType<typeof loadBatches>>[number];

export const useImportBatches = () => useApiQuery(['imports'], loadBatches);
export const useImportMappings = () => useApiQuery(['mappings'], () => unwrap(api.api.imports.mappings.$get()));

/** Reads the file and answers what each row would become; writes nothing but the pending batch. */
export const previewImport = (file: File, options: Record<string, unknown>) =>
  unwrap(api.api.imports.$post({ form: { file, options: JSON.stringify(options) } }));
/** previewImport as a write: the batch list then shows the pending batch (待确认). */
export const usePreviewImport = () =>
  useWrite(({ file, options }: { file: File; options: Record<string, unknown> }) => previewImport(file, options), DATA_AFTER.preview);

export const useCommitImport = () =>
  useWrite(
    ({ id, json }: { id: number; json: Parameters<(typeof api.api.imports)[':id']['commit']['$post']>[0]['json'] }) =>
      unwrap(api.api.imports[':id'].commit.$post({ param: { id: String(id) }, json })),
    DATA_AFTER.import,
  );
export const useUndoImport = () => useWrite((id: number) => unwrap(api.api.imports[':id'].$delete({ param: { id: String(id) }, json: {} })), DATA_AFTER.import);
export const useSaveMapping = () =>
  useWrite((json: Parameters<typeof api.api.imports.mappings.$post>[0]['json']) => unwrap(api.api.imports.mappings.$post({ json })), DATA_AFTER.mapping);
