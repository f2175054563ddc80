// Everything the benchmark opens (servers, browsers, temp files) is registered here and closed at
// the end — also after a failure or Ctrl-C.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Close = () => Promise<void> | void;

export class Resources {
  /** One temp folder for every file the run writes; removed by closeAll. */
  readonly dir = mkdtempSync(join(tmpdir(), 'sansan-bench-'));
  private readonly open = new Set<Close>();

  /** Registers `close`; the returned function closes it now (once) and forgets it. */
  hold(close: Close): () => Promise<void> {
    let closed = false;
    const release = async () => {
      if (closed) return;
      closed = true;
      this.open.delete(release);
      await close();
    };
    this.open.add(release);
    return release;
  }

  async closeAll(): Promise<void> {
    for (const release of [...this.open].reverse()) {
      try {
        await release();
      } catch (error) {
        console.error(`bench: cleanup failed: ${(error as Error).message}`);
      }
    }
    try {
      // A browser that was still starting may write into its profile for a moment: retry.
      rmSync(this.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch (error) {
      console.error(`bench: could not remove ${this.dir}: ${(error as Error).message}`);
    }
  }
}
