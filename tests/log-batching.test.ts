// Standard output's log lines are written in batches (server/ops/log.ts, issue #17): an info line may
// wait a few ms, but a warning or error goes out at once with every line before it, and an uncaught
// exception or the process's exit writes what is waiting — no line is lost when the server dies.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

/** Runs `body` in a new Node process with `log` = createLogger('info') on standard output; its lines. */
function linesOf(body: string): { events: unknown[]; status: number | null; signal: string | null } {
  const script = `import { createLogger } from ${JSON.stringify(resolve(root, 'server/ops/log.ts'))};\nconst log = createLogger('info');\n${body}`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  const events = run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { event: unknown }).event);
  return { events, status: run.status, signal: run.signal };
}

describe('batched standard output', () => {
  it('writes the waiting lines when an uncaught exception ends the process', () => {
    const run = linesOf(`log.info({ event: 'one' });\nsetTimeout(() => { log.info({ event: 'two' }); throw new Error('boom'); }, 1);`);
    expect(run.status).toBe(1);
    expect(run.events).toEqual(['one', 'two']);
  });

  it('writes a warning at once, with the info lines before it (even if the process is killed right after)', () => {
    const run = linesOf(`log.info({ event: 'before' });\nlog.warn({ event: 'warning' });\nprocess.kill(process.pid, 'SIGKILL');`);
    expect(run.signal).toBe('SIGKILL');
    expect(run.events).toEqual(['before', 'warning']);
  });

  it('writes the waiting lines on a normal exit and on log.flush()', () => {
    expect(linesOf(`log.info({ event: 'last' });\nprocess.exit(0);`).events).toEqual(['last']);
    expect(linesOf(`log.info({ event: 'flushed' });\nlog.flush();\nprocess.kill(process.pid, 'SIGKILL');`).events).toEqual(['flushed']);
  });
});
