// Real records from the plan: what the user reads is Chinese, and where each record comes from (the
// plan, its task, the plan's own words) is kept in the provenance fields and returned by the detail APIs.
import { describe, it, expect, beforeEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { seedNamedPlaces } from '../server/seed/seed-plan.ts';
import { bootTestApp, type Harness } from './helpers/app.ts';
import { ASCII_SENTENCE } from './helpers/text.ts';

const PLAN = readFileSync(fileURLToPath(new URL('../seeds/plan-2020-13.txt', import.meta.url)), 'utf8');

interface Provenance {
  document: string;
  task: number | null;
  quote: string | null;
}
interface Detail {
  id: number;
  properties: Record<string, unknown>;
  note?: string | null;
  events: { note: string | null }[];
  provenance: Provenance | null;
}

let h: Harness;
beforeEach(() => {
  h = bootTestApp();
});

const detail = async (kind: 'sites' | 'roads', id: number) => {
  const res = await h.get<Detail>(`/api/${kind}/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
};
const realIds = (table: 'sites' | 'road_segments') =>
  h.db.all<{ id: number; task: number | null }>(
    `SELECT id, ${table === 'sites' ? '(SELECT task_number FROM task_sites WHERE site_id = id)' : 'task_number'} AS task FROM ${table} WHERE source = 'real' ORDER BY id`,
    [],
  );

describe('real records from the plan', () => {
  it('carry no developer English in what the user reads, and say where they come from', async () => {
    const sites = realIds('sites');
    const roads = realIds('road_segments');
    expect([sites.length, roads.length]).toEqual([2, 9]);
    for (const [kind, rows, textFields] of [
      ['sites', sites, ['name', 'address', 'responsibleUnit']],
      ['roads', roads, ['roadName', 'fromDesc', 'toDesc', 'responsibleUnit']],
    ] as const) {
      for (const row of rows) {
        const record = await detail(kind, row.id);
        const note = kind === 'sites' ? record.note : record.properties['note'];
        const texts = [note, ...textFields.map((f) => record.properties[f]), ...record.events.map((e) => e.note)];
        for (const text of texts.filter((x): x is string => typeof x === 'string')) expect(text, `${kind}/${row.id}`).not.toMatch(ASCII_SENTENCE);
        expect(note, `${kind}/${row.id}`).toBeTruthy();
        const provenance = record.provenance!;
        expect(provenance.document).toContain('漯发〔2020〕13号');
        expect(provenance.task).toBe(row.task);
        expect(PLAN).toContain(provenance.quote);
        expect(provenance.quote).not.toMatch(ASCII_SENTENCE);
      }
    }
  });

  it('leaves provenance null for records the plan did not name', async () => {
    const site = await h.send<Detail>('POST', '/api/sites', {
      name: '测试木材加工厂',
      category: 'wood_processing',
      sector: 'industrial',
      lon: 114.03,
      lat: 33.58,
      discoveredOn: '2021-01-05',
    });
    expect(site.status, site.text).toBe(201);
    expect((await detail('sites', site.body.id)).provenance).toBeNull();
    const road = await h.send<Detail>('POST', '/api/roads', { roadName: '测试路', severity: 'minor', county: '411102', reportedOn: '2021-01-05' });
    expect(road.status, road.text).toBe(201);
    expect((await detail('roads', road.body.id)).provenance).toBeNull();
    expect(() => h.db.run("UPDATE sites SET source_quote = '原文' WHERE id = ?", [site.body.id])).toThrow(/CHECK/);
  });

  it('fills provenance and replaces the old mixed-language note of records seeded before, keeping edited notes', async () => {
    const [fuel, coal] = realIds('sites');
    const oldNote = '督察发现。Selling loose coal.\n原文 As written: 源汇区空冢郭镇叶岗村一处散煤销售点（漯发〔2020〕13号 任务18）。';
    h.db.run('UPDATE sites SET source_document = NULL, source_task = NULL, source_quote = NULL, note = ? WHERE id = ?', [oldNote, coal!.id]);
    h.db.run("UPDATE sites SET source_document = NULL, source_task = NULL, source_quote = NULL, note = '用户改过的备注' WHERE id = ?", [fuel!.id]);
    const road = realIds('road_segments')[0]!;
    h.db.run(
      "UPDATE road_segments SET source_document = NULL, source_task = NULL, source_quote = NULL, note = '区管道路 (district-managed road); the plan names no district.\n原文 As written: 金江路(五一路以东)' WHERE id = ?",
      [road.id],
    );
    expect(seedNamedPlaces(h.db)).toBe(0);
    const coalNow = await detail('sites', coal!.id);
    expect(coalNow.note).toMatch(/^督察发现正在违规销售散煤/);
    expect(coalNow.note).not.toMatch(ASCII_SENTENCE);
    expect(coalNow.provenance).toMatchObject({ task: 18, quote: '源汇区空冢郭镇叶岗村一处散煤销售点正在违规销售散煤,现场存有散煤10余吨。' });
    const fuelNow = await detail('sites', fuel!.id);
    expect([fuelNow.note, fuelNow.provenance?.task]).toEqual(['用户改过的备注', 15]);
    const roadNow = await detail('roads', road.id);
    expect([roadNow.properties['note'], roadNow.provenance?.task]).toEqual(['五一路以东,东端未写明。区管道路,路面有部分损坏;方案未写明所属区。', 19]);
  });

  it('exports 出处文件, 出处任务 and 原文 beside the ledger columns, empty for records of no document', async () => {
    const table = async (query: string) => {
      const res = await h.request(`/api/export?${query}`);
      expect(res.status).toBe(200);
      const rows = parse(await res.text(), { bom: true }) as string[][];
      const header = rows[0]!;
      return rows.slice(1).map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
    };
    const created = await h.send<Detail>('POST', '/api/sites', {
      name: '测试木材加工厂',
      category: 'wood_processing',
      sector: 'industrial',
      lon: 114.03,
      lat: 33.58,
      discoveredOn: '2021-01-05',
    });
    expect(created.status, created.text).toBe(201);
    const sites = await table('format=csv');
    const coal = sites.find((row) => row['名称'] === '叶岗村散煤销售点')!;
    expect(coal['出处文件']).toMatch(/^漯发〔2020〕13号/);
    expect([coal['出处任务'], coal['原文']]).toEqual(['18', '源汇区空冢郭镇叶岗村一处散煤销售点正在违规销售散煤,现场存有散煤10余吨。']);
    expect(sites.find((row) => row['名称'] === '测试木材加工厂')).toMatchObject({ 出处文件: '', 出处任务: '', 原文: '' });
    const roads = await table('format=csv&layer=roads');
    const songshan = roads.find((row) => row['道路名称'] === '嵩山路')!;
    expect(songshan['出处文件']).toMatch(/^漯发〔2020〕13号/);
    expect(songshan['原文']).toContain('嵩山路(金江路-湘江路)');
  });
});
