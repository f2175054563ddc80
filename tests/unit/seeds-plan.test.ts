// Pins seeds/plan-tasks.json and seeds/named-places.json to the mended plan text.
import { describe, it, expect } from 'vitest';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDeadline, parsePlan } from '../../server/seed/parse-plan.ts';
import type { PlanTask } from '../../server/seed/parse-plan.ts';
import { ASCII_SENTENCE } from '../helpers/text.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MENDED_PATH = join(ROOT, 'seeds/plan-2020-13.txt');
// The source file as received, byte for byte, except that the gambling-advert string is replaced by a
// marker holding its SHA-256 and length (seeds/original/README.md): the repo never carries the spam.
const ORIGINAL_PATH = join(ROOT, 'seeds/original/plan-2020-13.source-redacted.txt');
const mended = readFileSync(MENDED_PATH, 'utf8');
const tasks = parsePlan(mended);
const task = (n: number): PlanTask => {
  const t = tasks.find((x) => x.number === n);
  if (!t) throw new Error(`no task ${n}`);
  return t;
};

// Probes for the spam string, assembled at runtime so it is never written down.
const SPAM_DIGITS = String.fromCharCode(51, 54, 53, 48, 48, 51, 54, 53);
const SPAM_PHRASE = String.fromCharCode(0x5728, 0x7ebf, 0x6295, 0x6ce8);
const COMMERCE = '市商务局';
const COMMERCE_TASKS = [8, 15, 29, 30, 31];
const TASK3_START = '杜绝企业的产业集群治理工作中等待观望';

describe('plan tasks: structure', () => {
  it('has exactly 31 tasks numbered 1..31', () => {
    expect(tasks.map((t) => t.number)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
  });

  it('has group sizes 13/2/3/4/5/4', () => {
    const sizes = [1, 2, 3, 4, 5, 6].map((g) => tasks.filter((t) => t.group === g).length);
    expect(sizes).toEqual([13, 2, 3, 4, 5, 4]);
  });

  it("matches each group heading's (N项) count and title, read straight from the text", () => {
    const headings = [...mended.matchAll(/^([一二三四五六])、(.+)\((\d+)项\)$/gm)];
    expect(headings).toHaveLength(6);
    headings.forEach((h, i) => {
      const inGroup = tasks.filter((t) => t.group === i + 1);
      expect(inGroup.length, `group ${i + 1}`).toBe(Number(h[3]));
      for (const t of inGroup) expect(t.groupTitle).toBe(h[2]);
    });
  });

  it('gives every task a problem, target, measures, leaders, units and deadline', () => {
    for (const t of tasks) {
      expect(t.problem, `task ${t.number}`).not.toMatch(/^\d+\./);
      expect(t.target.length, `task ${t.number}`).toBeGreaterThan(0);
      expect(t.measures.length, `task ${t.number}`).toBeGreaterThan(0);
      for (const m of t.measures) expect(m, `task ${t.number}`).not.toMatch(/^\(\d+\)/);
      expect(t.leaders.length, `task ${t.number}`).toBeGreaterThan(0);
      expect(t.units.lead.length, `task ${t.number}`).toBeGreaterThan(0);
      for (const u of [...t.units.lead, ...t.units.assisting]) {
        expect(u, `task ${t.number}`).not.toMatch(/牵头|配合|[、,，。]|^\s|\s$/);
      }
    }
  });

  it('recovers task 3 as its own task, no longer glued to task 2', () => {
    expect(task(3).problem.startsWith(TASK3_START)).toBe(true);
    expect(task(2).deadline.text).not.toContain(TASK3_START);
    expect(task(2).deadline.text).toBe('立行立改,长期坚持');
    expect(mended).toMatch(new RegExp(`^3\\.${TASK3_START}`, 'm'));
  });
});

describe('plan tasks: mended faults', () => {
  it('has no trace of the spam string in any text file of the repo', () => {
    const skip = new Set(['node_modules', '.git', 'dist', 'data']);
    const hits: string[] = [];
    let scanned = 0;
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        const st = lstatSync(path);
        if (st.isSymbolicLink()) continue;
        if (st.isDirectory()) {
          if (!skip.has(name)) walk(path);
          continue;
        }
        if (!st.isFile()) continue;
        const buf = readFileSync(path);
        if (buf.includes(0)) continue; // binary
        const text = buf.toString('utf8');
        scanned++;
        if (text.includes(SPAM_DIGITS) || text.includes(SPAM_PHRASE)) hits.push(relative(ROOT, path));
      }
    };
    walk(ROOT);
    expect(scanned).toBeGreaterThan(5);
    expect(hits).toEqual([]);
  });

  it('names 市商务局 among the units of exactly tasks 8, 15, 29, 30, 31', () => {
    const withCommerce = tasks.filter((t) => [...t.units.lead, ...t.units.assisting].includes(COMMERCE)).map((t) => t.number);
    expect(withCommerce).toEqual(COMMERCE_TASKS);
    for (const n of COMMERCE_TASKS) expect(task(n).unitsText).toContain(COMMERCE);
    expect(mended).not.toContain('市市商务局');
  });

  it('equals the original text after exactly the two mends, and nothing else', () => {
    if (!existsSync(ORIGINAL_PATH)) {
      throw new Error(`original plan text missing: ${ORIGINAL_PATH} (needed to prove only the two mends were made)`);
    }
    const original = readFileSync(ORIGINAL_PATH, 'utf8');
    expect(mended).not.toBe(original);

    // Mend 1: 市 + spam (marked in the redacted source) -> 市商务局, 5 times, all one string.
    const spamRe = /市〔来源广告串已删 removed-spam sha256=[0-9a-f]{64} chars=\d+〕/g;
    const spans = original.match(spamRe) ?? [];
    expect(spans).toHaveLength(5);
    expect(new Set(spans).size).toBe(1);
    let fixed = original.replace(spamRe, COMMERCE);

    // Mend 2: task 3's heading restored where it was glued to task 2's deadline.
    const glued = `整改时限:立行立改,长期坚持。${TASK3_START}`;
    expect(fixed.split(glued)).toHaveLength(2);
    fixed = fixed.replace(glued, `整改时限:立行立改,长期坚持\n3.${TASK3_START}`);

    expect(fixed).toBe(mended);
  });
});

describe('plan tasks: generated JSON', () => {
  it('seeds/plan-tasks.json deep-equals parsePlan(seeds/plan-2020-13.txt)', () => {
    const json: unknown = JSON.parse(readFileSync(join(ROOT, 'seeds/plan-tasks.json'), 'utf8'));
    expect(json).toEqual(tasks);
  });
});

describe('plan tasks: hand-checked samples', () => {
  it('task 2', () => {
    expect(task(2).leaders).toEqual([
      { name: '高喜东', title: '市委常委、市政府常务副市长' },
      { name: '余伟', title: '市委常委、统战部部长、市政府党组成员' },
      { name: '徐汇川', title: '市政府副市长' },
    ]);
    expect(task(2).units.lead).toEqual(['市生态环境局']);
    expect(task(2).units.assisting).toEqual([
      '市工业和信息化局',
      '市发展改革委',
      '市自然资源和规划局',
      '市市场监管局',
      '国网漯河供电公司',
      '各县区(功能区)人民政府(管委会)',
    ]);
    expect(task(2).measures).toHaveLength(3);
  });

  it('task 1: spaced name, elided locality in the assisting units', () => {
    expect(task(1).leaders).toEqual([
      { name: '蒿慧杰', title: '市委书记' },
      { name: '刘尚进', title: '市委副书记、市政府市长' },
      { name: '吕娜', title: '市委常委、组织部部长、市政府党组成员' },
    ]);
    expect(task(1).units.lead).toEqual(['市委办公室', '市政府办公室', '市委市政府督查局']);
    // "各县区(功能区)党委(党工委)、人民政府(管委会)": the second item shares the first's locality.
    expect(task(1).units.assisting).toEqual(['市委各部委', '市直各部门', '驻漯各单位', '各县区(功能区)党委(党工委)', '各县区(功能区)人民政府(管委会)']);
    expect(task(1).deadline).toEqual({ kind: 'immediate', date: '2020-06-30', ongoing: true, text: '立行立改,长期坚持' });
  });

  it('task 15: two lead units, a stray 配合 mid-list', () => {
    expect(task(15).leaders.map((l) => l.name)).toEqual(['高喜东', '余伟', '徐汇川']);
    expect(task(15).units.lead).toEqual(['市商务局', '市公安局']);
    expect(task(15).units.assisting).toEqual(['市发展改革委', '市交通运输局', '市应急管理局', '市市场监管局', '各县区(功能区)人民政府(管委会)']);
    expect(task(15).deadline).toEqual({ kind: 'immediate', date: '2020-06-30', ongoing: true, text: '立行立改、长期坚持' });
  });

  it('task 17: parenthesised unit, dated deadline', () => {
    expect(task(17).leaders).toEqual([
      { name: '余伟', title: '市委常委、统战部部长、市政府党组成员' },
      { name: '乔彦强', title: '市政府副市长' },
    ]);
    expect(task(17).units.lead).toEqual(['市农业农村局', '市烟草专卖局(市烟草公司)']);
    expect(task(17).units.assisting).toEqual(['市市场监管局', '市畜牧局', '各县区(功能区)人民政府(管委会)']);
    expect(task(17).deadline).toEqual({ kind: 'dated', date: '2022-12-31', ongoing: false, text: '2022年年底' });
  });

  it('tasks with one unit list have no assisting units', () => {
    expect(task(3).units).toEqual({ lead: ['各县区(功能区)人民政府(管委会)'], assisting: [] });
    expect(task(6).units).toEqual({ lead: ['市污染防治攻坚办'], assisting: [] });
    expect(task(22).units).toEqual({ lead: ['市住房和城乡建设局'], assisting: [] });
    expect(task(3).leaders).toHaveLength(8);
  });

  it('classifies every deadline as read by hand', () => {
    const dated: Record<number, string> = { 4: '2020-12-31', 14: '2020-08-31', 17: '2022-12-31' };
    const done = [22, 23];
    for (const t of tasks) {
      const d = t.deadline;
      if (dated[t.number]) {
        expect(d, `task ${t.number}`).toMatchObject({ kind: 'dated', date: dated[t.number], ongoing: false });
      } else if (done.includes(t.number)) {
        expect(d, `task ${t.number}`).toEqual({ kind: 'done', date: null, ongoing: false, text: '已整改到位' });
      } else {
        expect(d, `task ${t.number}`).toMatchObject({ kind: 'immediate', date: '2020-06-30', ongoing: true });
        expect(d.text, `task ${t.number}`).toMatch(/^立行立改[,、](长期坚持|持续推进)$/);
      }
    }
    expect(task(25).deadline.text).toBe('立行立改,持续推进');
  });

  it('parseDeadline: long-term, mixed dates, unknown text', () => {
    expect(parseDeadline('长期坚持')).toEqual({ kind: 'long_term', date: null, ongoing: true, text: '长期坚持' });
    expect(parseDeadline('2020年6月底前,2021年年底').date).toBe('2021-12-31');
    expect(parseDeadline('2021年2月底').date).toBe('2021-02-28');
    expect(parseDeadline('已完成').kind).toBe('done');
    expect(() => parseDeadline('尽快')).toThrow(/unrecognised deadline/);
  });
});

describe('named places', () => {
  interface Site {
    key: string;
    name: string;
    category: string;
    sector: string | null;
    county: string;
    township: string | null;
    townshipCode: string | null;
    village: string | null;
    villageCode: string | null;
    address: string;
    asWritten: string;
    quote: string;
    task: number;
    note: string;
  }
  interface Road {
    key: string;
    roadName: string;
    fromDesc: string | null;
    toDesc: string | null;
    asWritten: string;
    severity: string;
    county: string | null;
    quote: string;
    task: number;
    note: string;
  }
  const raw = readFileSync(join(ROOT, 'seeds/named-places.json'), 'utf8');
  const places = JSON.parse(raw) as { document: string; sites: Site[]; roadSegments: Road[] };
  const csvRows = (file: string): string[][] =>
    readFileSync(join(ROOT, 'geodata', file), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));

  it('carries no coordinates', () => {
    expect(raw).not.toMatch(/"(lat|lng|lon|latitude|longitude|coordinates|geometry|x|y)"\s*:/i);
  });

  it('quotes the plan exactly and points at the right tasks', () => {
    for (const p of [...places.sites, ...places.roadSegments]) {
      expect(mended, p.key).toContain(p.asWritten);
      const problemAndMeasures = [task(p.task).problem, ...task(p.task).measures].join('\n');
      expect(problemAndMeasures, p.key).toContain(p.asWritten);
    }
    for (const s of places.sites) expect(mended, s.key).toContain(s.address);
    expect(mended.split('\n')[0]).toBe(places.document.match(/漯发〔2020〕13号/)?.[0]);
  });

  it('quotes the plan’s own sentence for each place, and writes its notes in Chinese only', () => {
    for (const p of [...places.sites, ...places.roadSegments]) {
      expect(mended, p.key).toContain(p.quote);
      expect(p.quote, p.key).toContain(p.asWritten);
      expect(p.note, p.key).not.toMatch(ASCII_SENTENCE);
    }
    expect(places.sites.map((s) => [s.category, s.county, s.task])).toEqual([
      ['fuel_point', '411103', 15],
      ['coal_point', '411102', 18],
    ]);
  });

  it('uses township and village codes that exist in geodata', () => {
    const townships = csvRows('townships.csv');
    const villages = csvRows('villages.csv');
    for (const s of places.sites.filter((x) => x.townshipCode !== null)) {
      const t = townships.find((r) => r[0] === s.townshipCode);
      expect(t, s.key).toBeDefined();
      expect(t![1]).toBe(s.township);
      expect(t![4]).toBe(s.county);
      const v = villages.find((r) => r[0] === s.villageCode);
      expect(v, s.key).toBeDefined();
      expect(v![1]!.startsWith(s.village!)).toBe(true);
      expect(v![2]).toBe(s.townshipCode);
    }
    expect(places.sites.find((s) => s.task === 18)?.villageCode).toBe('411102102219');
  });

  it('lists the damaged roads of tasks 19 and 20', () => {
    expect(places.roadSegments.map((r) => [r.task, r.roadName, r.severity])).toEqual([
      [19, '金江路', 'moderate'],
      [19, '嵩山路', 'moderate'],
      [19, '银江路', 'moderate'],
      [19, '人民路', 'moderate'],
      [19, '中山路', 'moderate'],
      [19, '东山路', 'severe'],
      [20, '南环路', 'severe'],
      [20, '龙江路', 'moderate'],
      [20, 'G107', 'moderate'],
    ]);
    expect(new Set([...places.sites, ...places.roadSegments].map((p) => p.key)).size).toBe(11);
    for (const r of places.roadSegments) expect(r.county).toBeNull();
  });
});
