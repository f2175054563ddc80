// The audit view speaks in words: every action and target kind the server records has its words in
// domain/audit-actions.ts (found from the server's source, not a hand list); before/after is the
// table of the fields that changed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_TARGETS, changedFields } from '../../domain/audit-actions.ts';

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : name.endsWith('.ts') ? [join(dir, name)] : []));
const SOURCE = files('server')
  .map((path) => readFileSync(path, 'utf8'))
  .join('\n');

describe('the audit trail in words', () => {
  it('has words for every action the server records', () => {
    const literal = [...SOURCE.matchAll(/action(?: =|:) '([a-z_]+(?:\.[a-z_]+)?)'/g)].map((m) => m[1]!);
    // `import.${… ? 'undo' : 'discard'}` and `cond ? 'user.password' : 'user.edit'`
    const templated = [...SOURCE.matchAll(/action: `([a-z_]+)\.\$\{[^}]*\? '([a-z_]+)' : '([a-z_]+)'\}`/g)].flatMap((m) => [
      `${m[1]}.${m[2]}`,
      `${m[1]}.${m[3]}`,
    ]);
    const chosen = [...SOURCE.matchAll(/const action = [^;]*\? '([a-z_.]+)' : '([a-z_.]+)'/g)].flatMap((m) => [m[1]!, m[2]!]);
    const actions = new Set([...literal, ...templated, ...chosen].filter((action) => action.includes('.') || action.startsWith('sign_')));
    expect(actions.size).toBeGreaterThan(20);
    expect([...actions].filter((action) => !(action in AUDIT_ACTIONS))).toEqual([]);
  });

  it('has words for every target kind', () => {
    const kinds = new Set([...SOURCE.matchAll(/target: `([a-z-]+):/g)].map((m) => m[1]!));
    expect(kinds.size).toBeGreaterThan(5);
    expect([...kinds].filter((kind) => !(kind in AUDIT_TARGETS))).toEqual([]);
  });

  it('lists only the fields that changed', () => {
    expect(changedFields({ name: '甲厂', status: 'discovered', version: 1 }, { name: '甲厂', status: 'closed', version: 2 })).toEqual([
      ['status', 'discovered', 'closed'],
      ['version', 1, 2],
    ]);
    expect(changedFields(null, { name: '乙厂' })).toEqual([['name', undefined, '乙厂']]);
  });
});
