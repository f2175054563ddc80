// Only web/state/ and web/api/ call the API: every other page source reads server data through the
// query hooks in web/state/ (the acceptance: `grep -rn "api\.api\." web` outside them finds nothing).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const WEB = join(ROOT, 'web');
const ALLOWED = ['web/state/', 'web/api/'];
/** Message files are data, not code: exempt from the size limit. */
const DATA = ['web/i18n/zh.ts', 'web/i18n/en.ts'];
const MAX_LINES = 500;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [relative(ROOT, path).split('\\').join('/')] : [];
  });
}

describe('the page source layout', () => {
  const files = sources(WEB);

  it('finds the page sources', () => {
    expect(files).toContain('web/app.tsx');
    expect(files.length).toBeGreaterThan(50);
  });

  it('calls the API only from web/state/ and web/api/', () => {
    const calls = files
      .filter((file) => !ALLOWED.some((dir) => file.startsWith(dir)))
      .flatMap((file) =>
        readFileSync(join(ROOT, file), 'utf8')
          .split('\n')
          .flatMap((line, index) => (/\bapi\.api\./.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
      );
    expect(calls).toEqual([]);
  });

  it(`keeps web/app.tsx under 200 lines and every other page source at most ${MAX_LINES}`, () => {
    const lines = (file: string) => readFileSync(join(ROOT, file), 'utf8').split('\n').length;
    expect(lines('web/app.tsx')).toBeLessThan(200);
    const long = files.filter((file) => !DATA.includes(file) && lines(file) > MAX_LINES).map((file) => `${file}: ${lines(file)} lines`);
    expect(long).toEqual([]);
  });
});
