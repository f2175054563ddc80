// The server's open tile archives, one per registered basemap, opened on first use and reopened
// when the registry points the id at another file (the CLI may change it while the server runs).
import { join } from 'node:path';
import { openArchive, type TileArchive } from './tile-archive.ts';

/** What the pool needs of a registered basemap (server/store/basemap-store.ts `BasemapRecord`). */
export interface ArchiveEntry {
  id: string;
  file: string;
  bytes: number;
  addedAt: string;
}

export class ArchivePool {
  private readonly open = new Map<string, { key: string; archive: Promise<TileArchive> }>();

  constructor(readonly folder: string) {}

  get(record: ArchiveEntry): Promise<TileArchive> {
    const key = `${record.file}:${record.bytes}:${record.addedAt}`;
    const held = this.open.get(record.id);
    if (held?.key === key) return held.archive;
    if (held) void held.archive.then((archive) => archive.close()).catch(() => undefined);
    const archive = openArchive(join(this.folder, record.file));
    this.open.set(record.id, { key, archive });
    archive.catch(() => this.open.delete(record.id));
    return archive;
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((held) => held.archive.then((archive) => archive.close()).catch(() => undefined)));
  }
}
