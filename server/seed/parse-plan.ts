// Parser for the task list of 漯发〔2020〕13号 (seeds/plan-2020-13.txt, the mended text).
// Pure: text in, tasks out. Throws on any line it cannot place, so a changed text fails loudly.
import { daysInMonth } from '../../domain/days.ts';

export interface PlanLeader {
  name: string;
  title: string;
}
export type DeadlineKind = 'immediate' | 'long_term' | 'dated' | 'done';
export interface PlanDeadline {
  kind: DeadlineKind;
  date: string | null;
  ongoing: boolean;
  text: string;
}
export interface PlanTask {
  number: number;
  group: number;
  groupTitle: string;
  problem: string;
  target: string;
  measures: string[];
  leaders: PlanLeader[];
  units: { lead: string[]; assisting: string[] };
  unitsText: string;
  deadline: PlanDeadline;
}

// The plan: immediate items are done 原则上2020年6月前 and verified by the end of June 2020.
export const IMMEDIATE_DATE = '2020-06-30';

const CN_NUMERALS = '一二三四五六七八九十';
const GROUP_RE = /^([一二三四五六七八九十])、(.+)\((\d+)项\)$/;
const TASK_RE = /^(\d+)\.(.+)$/;
const MEASURE_RE = /^\((\d+)\)(.+)$/;
const FIELD_RE = /^(整改目标|整改措施|责任领导|责任单位|整改时限)[:：](.*)$/;

type Section = 'problem' | 'target' | 'measures' | 'leaders' | 'units' | 'deadline';

interface Draft {
  number: number;
  group: number;
  groupTitle: string;
  problem: string;
  target: string | null;
  measures: string[];
  measureNumbers: (number | null)[];
  leaders: PlanLeader[];
  unitsText: string | null;
  deadlineText: string | null;
  section: Section;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function lastDayOfMonth(year: number, month: number): string {
  return `${year}-${pad2(month)}-${pad2(daysInMonth(year, month))}`;
}

/** Classify a 整改时限 text. */
export function parseDeadline(text: string): PlanDeadline {
  const ongoing = /长期坚持|持续/.test(text);
  if (/已(整改)?(完成|到位)|已整改/.test(text)) return { kind: 'done', date: null, ongoing, text };

  // Dates: "2020年年底", "2020年底", "2020年8月底(前)", "2020年6月30日"; the latest wins.
  const dates: string[] = [];
  for (const m of text.matchAll(/(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日|底)?|年?底)/g)) {
    const year = Number(m[1]);
    if (m[2] === undefined) dates.push(`${year}-12-31`);
    else if (m[3] !== undefined) dates.push(`${year}-${pad2(Number(m[2]))}-${pad2(Number(m[3]))}`);
    else dates.push(lastDayOfMonth(year, Number(m[2])));
  }
  if (dates.length > 0) {
    const date = dates.reduce((a, b) => (b > a ? b : a));
    return { kind: 'dated', date, ongoing, text };
  }
  if (text.includes('立行立改')) return { kind: 'immediate', date: IMMEDIATE_DATE, ongoing, text };
  if (text.includes('长期')) return { kind: 'long_term', date: null, ongoing: true, text };
  throw new Error(`parsePlan: unrecognised deadline "${text}"`);
}

/** Split at top-level separators (、 , ，), ignoring those inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '（') depth++;
    else if (ch === ')' || ch === '）') depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === '、' || ch === ',' || ch === '，')) {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

// A bare body after an elided locality ("各县区(功能区)党委(党工委)、人民政府(管委会)").
const BODY_RE = /^(党委|人民政府|管委会)/;

/** Split a 责任单位 paragraph into lead and assisting units. */
export function parseUnits(unitsText: string): { lead: string[]; assisting: string[] } {
  const body = unitsText.replace(/[。.]\s*$/, '');
  const lead: string[] = [];
  const assisting: string[] = [];
  let inLead = true;
  let prev = '';
  for (const raw of splitTopLevel(body)) {
    let unit = raw;
    let endsLead = false;
    if (unit.endsWith('牵头')) {
      unit = unit.slice(0, -2);
      endsLead = true;
    } else if (unit.endsWith('配合')) {
      unit = unit.slice(0, -2);
    }
    unit = unit.trim();
    if (BODY_RE.test(unit)) {
      const m = /^(.*?)(党委|人民政府|管委会)/.exec(prev);
      if (m && m[1]) unit = m[1] + unit;
    }
    if (unit.length === 0) throw new Error(`parsePlan: empty unit in "${unitsText}"`);
    if (inLead)
      lead.push(unit); // no 牵头 at all: every unit leads
    else assisting.push(unit);
    if (endsLead) inLead = false;
    prev = unit;
  }
  return { lead, assisting };
}

/** Parse one 责任领导 line: "name title"; a one-character token starts a spaced name ("吕 娜"). */
function parseLeader(line: string): PlanLeader {
  const tokens = line.trim().split(/[\s\u3000]+/);
  if (tokens.length < 2) throw new Error(`parsePlan: leader line without title "${line}"`);
  const nameTokens = [tokens[0]!];
  let i = 1;
  while (nameTokens.join('').length < 2 && i < tokens.length - 1) nameTokens.push(tokens[i++]!);
  const name = nameTokens.join('');
  const title = tokens.slice(i).join(' ');
  if (name.length < 2 || name.length > 4 || title.length === 0) {
    throw new Error(`parsePlan: cannot read leader line "${line}"`);
  }
  return { name, title };
}

function finish(d: Draft): PlanTask {
  const where = `task ${d.number}`;
  if (d.target === null) throw new Error(`parsePlan: ${where} has no 整改目标`);
  if (d.measures.length === 0) throw new Error(`parsePlan: ${where} has no 整改措施`);
  if (d.leaders.length === 0) throw new Error(`parsePlan: ${where} has no 责任领导`);
  if (d.unitsText === null) throw new Error(`parsePlan: ${where} has no 责任单位`);
  if (d.deadlineText === null) throw new Error(`parsePlan: ${where} has no 整改时限`);
  // Measures: numbered (1)..(n) in order, or a single unnumbered paragraph.
  const numbered = d.measureNumbers.every((n) => n !== null);
  const unnumberedSingle = d.measureNumbers.length === 1 && d.measureNumbers[0] === null;
  if (!unnumberedSingle && (!numbered || d.measureNumbers.some((n, i) => n !== i + 1))) {
    throw new Error(`parsePlan: ${where} measures are not numbered 1..n`);
  }
  return {
    number: d.number,
    group: d.group,
    groupTitle: d.groupTitle,
    problem: d.problem,
    target: d.target,
    measures: d.measures,
    leaders: d.leaders,
    units: parseUnits(d.unitsText),
    unitsText: d.unitsText,
    deadline: parseDeadline(d.deadlineText),
  };
}

export function parsePlan(text: string): PlanTask[] {
  const tasks: PlanTask[] = [];
  let group = 0;
  let groupTitle = '';
  let draft: Draft | null = null;
  let lastNumber = 0;
  const lines = text.split(/\r?\n/);

  for (const [idx, rawLine] of lines.entries()) {
    const line = rawLine.trim();
    const at = `line ${idx + 1}`;
    if (line.length === 0) continue;

    const g = GROUP_RE.exec(line);
    if (g) {
      if (draft) tasks.push(finish(draft));
      draft = null;
      const n = CN_NUMERALS.indexOf(g[1]!) + 1;
      if (n !== group + 1) throw new Error(`parsePlan: ${at}: group ${n} out of order`);
      group = n;
      groupTitle = g[2]!;
      continue;
    }
    if (group === 0) continue; // preamble before the task list

    const t = TASK_RE.exec(line);
    if (t && (draft === null || draft.section === 'deadline')) {
      const number = Number(t[1]);
      if (number !== lastNumber + 1) throw new Error(`parsePlan: ${at}: task ${number}, expected ${lastNumber + 1}`);
      lastNumber = number;
      if (draft) tasks.push(finish(draft));
      draft = {
        number,
        group,
        groupTitle,
        problem: t[2]!.trim(),
        target: null,
        measures: [],
        measureNumbers: [],
        leaders: [],
        unitsText: null,
        deadlineText: null,
        section: 'problem',
      };
      continue;
    }
    if (draft === null) throw new Error(`parsePlan: ${at}: text outside any task: "${line}"`);
    const d: Draft = draft;

    const f = FIELD_RE.exec(line);
    if (f) {
      const rest = f[2]!.trim();
      switch (f[1]) {
        case '整改目标':
          if (d.section !== 'problem') throw new Error(`parsePlan: ${at}: 整改目标 out of place`);
          d.target = rest;
          d.section = 'target';
          break;
        case '整改措施':
          if (d.section !== 'target') throw new Error(`parsePlan: ${at}: 整改措施 out of place`);
          d.section = 'measures';
          if (rest) addMeasure(d, rest);
          break;
        case '责任领导':
          if (d.section !== 'measures') throw new Error(`parsePlan: ${at}: 责任领导 out of place`);
          d.section = 'leaders';
          if (rest) d.leaders.push(parseLeader(rest));
          break;
        case '责任单位':
          if (d.section !== 'leaders') throw new Error(`parsePlan: ${at}: 责任单位 out of place`);
          d.section = 'units';
          d.unitsText = rest;
          break;
        case '整改时限':
          if (d.section !== 'units') throw new Error(`parsePlan: ${at}: 整改时限 out of place`);
          d.section = 'deadline';
          d.deadlineText = rest;
          break;
      }
      continue;
    }
    if (d.section === 'measures') addMeasure(d, line);
    else if (d.section === 'leaders') d.leaders.push(parseLeader(line));
    else throw new Error(`parsePlan: ${at}: unexpected line in task ${d.number} (${d.section}): "${line}"`);
  }

  if (draft) tasks.push(finish(draft));
  return tasks;
}

function addMeasure(d: Draft, line: string): void {
  const m = MEASURE_RE.exec(line);
  if (m) {
    d.measures.push(m[2]!.trim());
    d.measureNumbers.push(Number(m[1]));
  } else {
    d.measures.push(line);
    d.measureNumbers.push(null);
  }
}
