// SQL lives only in server/store/ and server/db/ (issue #19): the one place a second database (PostGIS)
// would have to touch. Every other .ts file of server/ and domain/ is read with the TypeScript parser,
// and a string or template holding SQL, or a `.prepare(`/`.exec(` call on a database, fails here naming
// file:line. Regular expressions' `.exec(` are not database calls and pass. Exceptions are files that
// write or read a foreign SQLite file format, not our database.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

const ALLOWED = ['server/store/', 'server/db/'];
/** A GeoPackage export IS an SQLite database being written; an MBTiles archive IS one being read. */
const EXCEPTIONS = ['server/export/geopackage.ts', 'server/basemaps/tile-archive.ts'];

const SQL = [
  /\bSELECT\b[\s\S]*\bFROM\b/,
  /\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b/,
  /\bUPDATE\s+\S+\s+SET\b/,
  /\bDELETE\s+FROM\b/,
  /\bCREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|TRIGGER)\b/,
  /\bPRAGMA\b/,
];
/** The receiver of a `.prepare(`/`.exec(` call that is a database (db, this.db, raw, database, copy…). */
const DATABASE = /(?:^|\.)(?:\w*db|\w*Db|raw|database|\w*Database|sqlite)$/;

export function sqlOutsideStore(file: string, source: string): string[] {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node, what: string) => found.push(`${file}:${tree.getLineAndCharacterOfPosition(node.getStart(tree)).line + 1}: ${what}`);
  const visit = (node: ts.Node): void => {
    let text: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node)) text = [node.head.text, ...node.templateSpans.map((span) => `x${span.literal.text}`)].join('');
    if (text !== null && SQL.some((pattern) => pattern.test(text))) at(node, `SQL ${JSON.stringify(text.replace(/\s+/g, ' ').slice(0, 60))}`);
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ['prepare', 'exec'].includes(node.expression.name.text) &&
      DATABASE.test(node.expression.expression.getText(tree))
    )
      at(node, `${node.expression.getText(tree)}(…)`);
    if (text === null) ts.forEachChild(node, visit);
  };
  visit(tree);
  return found;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

describe('SQL boundary', () => {
  it('finds SQL in strings and templates, and prepare/exec on a database, but not regular expressions', () => {
    const planted = [
      "const a = db.get('SELECT 1 FROM sites WHERE seed_key = ?', [key]);",
      'db.run(`INSERT INTO meta (key, value)',
      '  VALUES (?, ?)`, [k, v]);',
      'const b = db.all(`SELECT count(*) AS n FROM ${table}`);',
      'this.db.prepare(text);',
      'raw.exec(script);',
      'const m = /^(\\d+)$/.exec(text);',
      'const n = PATTERN.exec(text);',
      "const message = 'select a site from the map';",
      '// SELECT * FROM comments is not code',
    ].join('\n');
    expect(sqlOutsideStore('server/x.ts', planted)).toEqual([
      'server/x.ts:1: SQL "SELECT 1 FROM sites WHERE seed_key = ?"',
      'server/x.ts:2: SQL "INSERT INTO meta (key, value) VALUES (?, ?)"',
      'server/x.ts:4: SQL "SELECT count(*) AS n FROM x"',
      'server/x.ts:5: this.db.prepare(…)',
      'server/x.ts:6: raw.exec(…)',
    ]);
  });

  it('has no SQL outside server/store/ and server/db/', () => {
    const files = [...sourceFiles('server'), ...sourceFiles('domain')].filter(
      (file) => !ALLOWED.some((path) => file.startsWith(path)) && !EXCEPTIONS.includes(file),
    );
    expect(files.length).toBeGreaterThan(80);
    expect(files.flatMap((file) => sqlOutsideStore(file, readFileSync(join(ROOT, file), 'utf8')))).toEqual([]);
  });
});
