// Every error the server can answer has a sentence in both message files, and the API's details
// carry what those sentences need. The codes are found in the server's source (every string a
// refusal is made with, every `reason:`), not from a hand-kept list, so a new code without its
// catalogue entry or its two messages fails here (and in tsc: AppError takes only catalogued codes).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODE_LIST, FIELD_REASON_LIST } from '../domain/error-codes.ts';
import { describeError } from '../web/i18n/error-text.ts';
import { en } from '../web/i18n/en.ts';
import { zh } from '../web/i18n/zh.ts';
import { bootTestApp, createSite, expectError, POINTS, TODAY, type Harness } from './helpers/app.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const SOURCE = [...sourceFiles('server'), ...sourceFiles('domain')]
  .filter((path) => !path.endsWith('error-codes.ts'))
  .map((path) => ({ path, text: readFileSync(path, 'utf8') }));

/** Codes the server makes refusals with: AppError(status, 'code', …), badRequest/conflict/unprocessable('code', …), errorBody('code', …), `code: '…'` of the validation hook. */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [
    /new AppError\(\s*\d+,\s*'([a-z_]+)'/g,
    /\b(?:badRequest|conflict|unprocessable|errorBody)\(\s*'([a-z_]+)'/g,
    /\? '(bad_parameter)' : '(bad_field)'/g,
  ];
  for (const { path, text } of SOURCE)
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) for (const code of match.slice(1)) if (code) found.set(code, path);
  if (SOURCE.some(({ text }) => /\bnotFound\(/.test(text))) found.set('not_found', 'server/errors.ts');
  return found;
}

/** Reasons the server gives a refused field: every `reason: '…'` (and `reason: cond ? '…' : '…'`) in what it throws. */
function reasonsInSource(): Map<string, string> {
  const found = new Map<string, string>();
  for (const { path, text } of SOURCE) {
    // What is thrown (throw … ;) and what the validation hook turns zod issues into.
    const thrown = path.endsWith('validation.ts') ? [text] : [...text.matchAll(/throw [\s\S]*?\);/g)].map((m) => m[0]);
    for (const part of thrown)
      for (const match of part.matchAll(/reason: ([^,}\n]+)/g)) for (const literal of match[1]!.matchAll(/'([a-z_]+)'/g)) found.set(literal[1]!, path);
  }
  return found;
}

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const MESSAGES = { zh: zh as Record<string, string>, en: en as Record<string, string> };

describe('the catalogue of error codes', () => {
  it('holds every code the server source makes a refusal with', () => {
    const codes = codesInSource();
    expect(codes.size).toBeGreaterThan(30);
    const missing = [...codes].filter(([code]) => !(ERROR_CODE_LIST as string[]).includes(code)).map(([code, path]) => `${code} (${path})`);
    expect(missing, 'codes used in the server but missing from domain/error-codes.ts').toEqual([]);
  });

  it('holds every reason the server source gives a refused field', () => {
    const reasons = reasonsInSource();
    expect(reasons.size).toBeGreaterThan(20);
    const missing = [...reasons].filter(([reason]) => !(FIELD_REASON_LIST as string[]).includes(reason)).map(([reason, path]) => `${reason} (${path})`);
    expect(missing, 'reasons used in the server but missing from FIELD_REASONS').toEqual([]);
  });

  it.each(['zh', 'en'] as const)('every code and reason has a sentence in %s.ts, with the same placeholders as the other language', (lang) => {
    const other = lang === 'zh' ? 'en' : 'zh';
    const keys = [...ERROR_CODE_LIST.map((code) => `error.${code}`), ...FIELD_REASON_LIST.map((reason) => `reason.${reason}`)];
    const missing = keys.filter((key) => !MESSAGES[lang][key]?.trim());
    expect(missing, `error messages missing from web/i18n/${lang}.ts`).toEqual([]);
    for (const key of keys) expect(placeholders(MESSAGES[lang][key]!), key).toEqual(placeholders(MESSAGES[other][key] ?? ''));
    if (lang === 'zh') for (const key of keys) expect(MESSAGES.zh[key], key).toMatch(/[\u4e00-\u9fff]/);
  });
});

/** An ASCII sentence: three or more Latin words in a row (field names and codes alone are not sentences). */
const ASCII_SENTENCE = /[A-Za-z]+(?:[\s,;:'"-]+[A-Za-z]+){2,}/;

let h: Harness;
beforeEach(() => {
  h = bootTestApp();
});

/** The error of a reply and its sentence in the Chinese page. */
function chinese(reply: { status: number; body: unknown; contentType: string | null; text: string }, status: number, code: string) {
  const error = expectError(reply, status, code);
  const text = describeError({ code: error.code, details: error.details, status }, 'zh');
  expect(text).not.toMatch(ASCII_SENTENCE);
  expect(text).toMatch(/[\u4e00-\u9fff]/);
  return { error, text };
}

async function upload(fileName: string, content: string | Uint8Array, options?: Record<string, unknown>) {
  const form = new FormData();
  form.append('file', new File([content as BlobPart], fileName));
  if (options) form.append('options', JSON.stringify(options));
  const response = await h.request('/api/imports', { method: 'POST', body: form });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), text, body: JSON.parse(text) as unknown };
}

describe('the refusals users met, with details their sentence is made from', () => {
  it('a county official writing in another county: the county by code and name', async () => {
    const site = await createSite(
      h,
      { name: '召陵区木材加工厂', category: 'wood_processing', lon: POINTS['411104'][0], lat: POINTS['411104'][1], discoveredOn: '2021-01-10' },
      '411104',
    );
    const official = h.as('county', ['411102']);
    const { error, text } = chinese(await official.send('POST', `/api/sites/${site.id}/events`, { to: 'rectifying', date: TODAY }), 403, 'forbidden_county');
    expect(error.details).toMatchObject({ county: '411104', countyName: '召陵区', yourCounties: ['411102'], yourCountyNames: ['源汇区'] });
    expect(text).toBe('您只能在源汇区操作，此操作涉及召陵区（411104）');
    expect(describeError({ code: error.code, details: error.details }, 'en')).toBe(
      'You may work only in Yuanhui District; this concerns Shaoling District (411104)',
    );
  });

  it('a position outside every county: coordinates rounded to 6 decimals', async () => {
    const { error, text } = chinese(
      await h.send('POST', '/api/sites', { name: '界外', category: 'sand_yard', lon: 113.36889897139707, lat: 33.95123456789, discoveredOn: '2021-01-10' }),
      422,
      'outside_counties',
    );
    expect(error.details).toMatchObject({ lon: 113.368899, lat: 33.951235 });
    expect(error.message).toContain('113.368899,33.951235');
    expect(text).toContain('位置 113.368899, 33.951235 不在漯河市任何县区内');
  });

  it('rule.olderThanDays too small: the field and its minimum', async () => {
    const { error, text } = chinese(
      await h.send('POST', '/api/routes/plan', { rule: { kind: 'recheck', olderThanDays: -1 }, start: { lon: 114.0, lat: 33.58 } }),
      400,
      'bad_field',
    );
    expect(error.details).toMatchObject({ field: 'rule.olderThanDays', reason: 'too_small', minimum: 0 });
    expect(text).toBe('多少天未检查：不能小于 0');
  });

  it('bands "abc": the parameter, the reason and the value', async () => {
    const { error, text } = chinese(await h.get('/api/analysis/siege?bands=0,abc,5'), 400, 'bad_parameter');
    expect(error.details).toMatchObject({ parameter: 'bands', reason: 'not_a_number', value: 'abc' });
    expect(text).toBe('距离带：“abc”不是数字');
  });

  it('bands that do not increase, sectors out of range', async () => {
    expect(chinese(await h.get('/api/analysis/siege?bands=0,5,2'), 400, 'bad_parameter').text).toBe('距离带：须逐个增大（2 排在 5 之后）');
    expect(chinese(await h.get('/api/analysis/siege?sectors=99'), 400, 'bad_parameter').text).toBe('扇区数：须在 1 至 64 之间，现为 99');
  });

  it('an empty file, a binary file named .csv, a ledger without name and category columns', async () => {
    const empty = chinese(await upload('空文件.csv', ''), 400, 'empty_file');
    expect(empty.error.details).toMatchObject({ field: 'file', fileName: '空文件.csv' });
    expect(empty.text).toBe('空文件.csv 是空文件，或没有表头和数据');

    const binary = chinese(await upload('台账.csv', new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 0])), 400, 'file_not_as_named');
    expect(binary.error.details).toMatchObject({ fileName: '台账.csv', expected: 'text', found: 'binary' });
    expect(binary.text).toBe('台账.csv 按文件名应为文本文件，但其内容是二进制数据，不是文本');

    const unmapped = chinese(await upload('台账.csv', '编号,地点\n1,叶岗村\n', { crs: 'wgs84' }), 400, 'mapping_incomplete');
    expect(unmapped.error.details).toMatchObject({ field: 'options.mapping', missing: ['name', 'category'] });
    expect(unmapped.text).toBe('没有哪一列是名称、类别，请在下方“列对应”中指定');
  });

  it('a zod refusal of an options field names its path and reason', async () => {
    const { error, text } = chinese(await upload('a.csv', '名称,类别\n甲,散乱污\n', { crs: 'wgs-84' }), 400, 'bad_field');
    expect(error.details).toMatchObject({ field: 'options.crs', reason: 'not_one_of', allowed: ['wgs84', 'gcj02', 'bd09'] });
    expect(text).toBe('坐标系：不是可选的值（可选：wgs84、gcj02、bd09）');
  });

  it('a status move that is not allowed names the statuses in words', async () => {
    const site = await createSite(
      h,
      { name: '某砂石料场', category: 'sand_yard', lon: POINTS['411102'][0], lat: POINTS['411102'][1], discoveredOn: '2021-01-10' },
      '411102',
    );
    const { text } = chinese(await h.send('POST', `/api/sites/${site.id}/events`, { to: 'verified', date: TODAY }), 409, 'status_move_not_allowed');
    expect(text).toMatch(/^不能从“已发现”改为“/);
  });
});
