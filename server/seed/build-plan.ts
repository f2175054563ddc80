// Regenerate seeds/plan-tasks.json from the mended plan text.
// Run: node --import tsx server/seed/build-plan.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePlan } from './parse-plan.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const textPath = `${root}seeds/plan-2020-13.txt`;
const outPath = `${root}seeds/plan-tasks.json`;

const tasks = parsePlan(readFileSync(textPath, 'utf8'));
writeFileSync(outPath, `${JSON.stringify(tasks, null, 2)}\n`);
console.log(`wrote ${tasks.length} tasks to seeds/plan-tasks.json`);
