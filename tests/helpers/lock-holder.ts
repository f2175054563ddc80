// Another process holding SQLite's write lock on a database file, as `npm run users` or a second
// server would: it begins an IMMEDIATE transaction, writes, says so, holds the lock for `ms` (or, with
// `releaseFile`, until that file exists, at most `ms`), commits.
import { spawn, type ChildProcess } from 'node:child_process';

const SCRIPT = `
const Database = require('better-sqlite3');
const fs = require('node:fs');
const [path, ms, releaseFile] = process.argv.slice(1);
const db = new Database(path);
db.pragma('busy_timeout = 5000');
db.exec('BEGIN IMMEDIATE');
db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('lock_holder', ?)").run(String(Date.now()));
process.stdout.write('locked\\n');
const until = Date.now() + Number(ms);
if (!releaseFile) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(ms));
else while (!fs.existsSync(releaseFile) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
db.exec('COMMIT');
db.close();
process.stdout.write('released\\n');
`;

export interface LockHolder {
  process: ChildProcess;
  /** Resolves when the holder has committed and closed. */
  released: Promise<void>;
}

/** Starts a process that holds the write lock for `ms`; resolves once it holds it. */
export function holdWriteLock(path: string, ms: number, cwd: string, releaseFile?: string): Promise<LockHolder> {
  const child = spawn(process.execPath, ['-e', SCRIPT, path, String(ms), ...(releaseFile ? [releaseFile] : [])], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let onReleased: () => void = () => {};
  const released = new Promise<void>((done) => (onReleased = done));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('locked\n') && !output.includes('released')) resolve({ process: child, released });
      if (output.includes('released\n')) onReleased();
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`lock holder exited with ${code}`));
      onReleased();
    });
  });
}
