// Small caches of results valid while the data they were built from has not changed (many officials
// open the same map and the same scorecards). Each cache names its topics (migration 014); an entry
// built before a write to one of them is never served, and writes to anything else leave it valid.
// `ResponseCache` keeps response bodies as bytes, each compression made once (issue #17).
import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import type { Db } from '../db/database.ts';
import { dataVersion, type DataTopic } from './data-version.ts';

/** Values by key, each kept until the next write to its topics; the least recently used goes first. */
export class ChangeMemo<T> {
  private readonly entries = new Map<string, { token: number; value: T }>();

  constructor(
    private readonly db: Db,
    private readonly topics: readonly DataTopic[],
    private readonly maxEntries = 16,
    /** Values too big to keep are built and returned but not kept. */
    private readonly keep: (value: T) => boolean = () => true,
  ) {}

  /** The topics' data version now (what an entry's validity and an ETag are keyed on). */
  version(): number {
    return dataVersion(this.db, this.topics);
  }

  /** Whether `key`'s value at `version` is kept (a `get` would not build it). */
  has(key: string, version = this.version()): boolean {
    return this.entries.get(key)?.token === version;
  }

  /** The value of `key` at `version` (read it first with `version()` when an ETag was made from it). */
  get(key: string, build: () => T, version = this.version()): T {
    const hit = this.entries.get(key);
    if (hit && hit.token === version) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = build();
    if (this.keep(value)) {
      this.entries.set(key, { token: version, value });
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return value;
  }
}

export type Compression = 'br' | 'gzip';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Brotli's best quality costs ~1 s per MB; large bodies get a faster level (still better than gzip). */
const brotliQuality = (bytes: number) => (bytes <= 256 * 1024 ? 11 : 5);

/**
 * Brotli level of answers made per view and sent at once (the map's tiles): quality 11 took ~8 ms of
 * CPU per 5 KB tile, ~40 ms for a view's tiles, on the path of every pan and zoom; level 5 takes
 * ~0.1 ms for output ~10 % larger (a tile is well under 1 KB compressed).
 */
export const FAST_BROTLI_QUALITY = 5;

/**
 * A body at the fast level up to this size is compressed on the request thread (~0.1 ms for a 5 KB
 * tile): cheaper than the hop to libuv's thread pool and back, which on a busy machine waits for a
 * thread to be scheduled twice.
 */
export const SYNC_COMPRESS_MAX_BYTES = 64 * 1024;

/** Bodies smaller than this go out plain: compressing them saves less than a packet. */
export const COMPRESS_MIN_BYTES = 1024;

/**
 * A response body as bytes, with each compression made once (on libuv's thread pool, not the
 * request thread) and kept beside it; concurrent requests for one encoding share the same work.
 */
export class EncodedBody {
  private readonly compressed = new Map<Compression, Promise<{ encoding: Compression; bytes: Buffer }>>();
  /** Compressions that have finished, answered without a promise. */
  private readonly ready = new Map<Compression, { encoding: Compression; bytes: Buffer }>();

  constructor(
    readonly bytes: Buffer,
    /** Weak entity tag of these bytes, quotes included. */
    readonly etag: string,
    /** Brotli level (null: by size, the best for all but large bodies); a small body given a level is compressed at once, on this thread. */
    readonly brotliLevel: number | null = null,
  ) {}

  static ofText(text: string, etag?: string, brotliLevel: number | null = null): EncodedBody {
    const bytes = Buffer.from(text);
    return new EncodedBody(bytes, etag ?? hashEtag(bytes), brotliLevel);
  }

  /** The body in `encoding` (the plain bytes for identity or a body too small to compress). */
  encoded(encoding: Compression | 'identity'): { encoding: Compression | 'identity'; bytes: Buffer } | Promise<{ encoding: Compression; bytes: Buffer }> {
    if (encoding === 'identity' || this.bytes.length < COMPRESS_MIN_BYTES) return { encoding: 'identity', bytes: this.bytes };
    const done = this.ready.get(encoding);
    if (done) return done;
    if (this.brotliLevel !== null && this.bytes.length <= SYNC_COMPRESS_MAX_BYTES) {
      const bytes =
        encoding === 'br'
          ? brotliCompressSync(this.bytes, {
              params: { [constants.BROTLI_PARAM_QUALITY]: this.brotliLevel, [constants.BROTLI_PARAM_SIZE_HINT]: this.bytes.length },
            })
          : gzipSync(this.bytes, { level: 6 });
      const result = { encoding, bytes };
      this.ready.set(encoding, result);
      return result;
    }
    let pending = this.compressed.get(encoding);
    if (!pending) {
      const work =
        encoding === 'br'
          ? brotliAsync(this.bytes, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: this.brotliLevel ?? brotliQuality(this.bytes.length),
                [constants.BROTLI_PARAM_SIZE_HINT]: this.bytes.length,
              },
            })
          : gzipAsync(this.bytes, { level: 6 });
      pending = work.then((bytes) => {
        const result = { encoding, bytes };
        this.ready.set(encoding, result);
        return result;
      });
      this.compressed.set(encoding, pending);
    }
    return pending;
  }
}

/** A weak ETag from a body's hash (for answers that are not a function of data versions alone). */
export function hashEtag(bytes: Uint8Array): string {
  return `W/"h${createHash('sha1').update(bytes).digest('base64url')}"`;
}

/** Differs per server process: a new release may build other bytes from the same data versions. */
const PROCESS_TAG = randomBytes(4).toString('base64url');

/** Response bodies of identical read queries, as bytes (and their compressions), up to `maxBytes` each. */
export class ResponseCache {
  private readonly memo: ChangeMemo<EncodedBody>;
  private readonly keyTags = new Map<string, string>();

  constructor(
    db: Db,
    private readonly topics: readonly DataTopic[],
    maxEntries = 16,
    maxBytes = 64 * 1024 * 1024,
  ) {
    this.memo = new ChangeMemo<EncodedBody>(db, topics, maxEntries, (body) => body.bytes.length <= maxBytes);
  }

  version(): number {
    return this.memo.version();
  }

  /**
   * The ETag of `key`'s answer at `version`, known before the body is built: the answer is a
   * function of the query and the topics' data, so the versions name it.
   */
  etag(key: string, version: number): string {
    let tag = this.keyTags.get(key);
    if (tag === undefined) {
      tag = createHash('sha1').update(key).digest('base64url').slice(0, 12);
      if (this.keyTags.size >= 1024) this.keyTags.clear();
      this.keyTags.set(key, tag);
    }
    return `W/"v${PROCESS_TAG}.${this.topics.join('+')}.${version}.${tag}"`;
  }

  has(key: string, version = this.version()): boolean {
    return this.memo.has(key, version);
  }

  get(key: string, build: () => string, version = this.version()): EncodedBody {
    return this.memo.get(key, () => EncodedBody.ofText(build(), this.etag(key, version)), version);
  }
}
