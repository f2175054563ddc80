// Where an export's bytes go: a file, written in chunks of about 1 MB as the rows are read, so the
// whole file is never in memory. The writers (csv.ts, geojson.ts, kml.ts, shapefile.ts) write text
// and bytes here; the route then streams the finished file to the response (export-pool.ts says why a
// file and not the response itself).
import { closeSync, openSync, writeSync } from 'node:fs';

const FLUSH_AT = 1 << 20;

export class FileSink {
  private readonly fd: number;
  private texts: string[] = [];
  private textLength = 0;
  private chunks: Uint8Array[] = [];
  private chunkBytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  text(chunk: string): void {
    this.texts.push(chunk);
    this.textLength += chunk.length;
    if (this.textLength >= FLUSH_AT) this.flush();
  }

  binary(chunk: Uint8Array): void {
    this.encodeText();
    this.chunks.push(chunk);
    this.chunkBytes += chunk.length;
    if (this.chunkBytes >= FLUSH_AT) this.flush();
  }

  /** Writes what is buffered and closes the file. */
  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private encodeText(): void {
    if (!this.texts.length) return;
    const bytes = Buffer.from(this.texts.join(''), 'utf8');
    this.texts = [];
    this.textLength = 0;
    this.chunks.push(bytes);
    this.chunkBytes += bytes.length;
  }

  private flush(): void {
    this.encodeText();
    if (!this.chunks.length) return;
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    this.chunkBytes = 0;
    for (let at = 0; at < bytes.length;) at += writeSync(this.fd, bytes, at, bytes.length - at);
  }
}
