// The ledger's stated-status note in the reader's language, from the event's facts — and from the
// notes of events written before the facts were rendered (read-time mapping, no migration).
import { describe, expect, it } from 'vitest';
import { eventNote, ledgerFacts } from '../../web/i18n/event-note.ts';

const facts = { source: 'ledger', batch: 3, file: '台账2022.csv', row: 12, word: '已取缔' };

describe('the ledger note', () => {
  it('is Chinese in the Chinese page and English in the English one, from the details', () => {
    const event = { note: '按台账记载（台账2022.csv，第 3 批，第 12 行：已取缔）', details: facts };
    expect(eventNote(event, 'zh')).toBe('按台账记载（台账2022.csv，第 3 批，第 12 行：已取缔）');
    expect(eventNote(event, 'en')).toBe('As stated in the ledger (台账2022.csv, batch 3, row 12: “已取缔”)');
    expect(eventNote({ note: null, details: { ...facts, word: null } }, 'zh')).toBe('按台账记载（台账2022.csv，第 3 批，第 12 行）');
  });

  it('reads old notes with their English suffix into the same words, without the suffix', () => {
    const old = { note: '按台账记载（台账2022.csv，导入批次 1，第 2 行：已取缔）· as stated in ledger 台账2022.csv, batch 1, row 2', details: null };
    expect(ledgerFacts(old)).toEqual({ file: '台账2022.csv', batch: 1, row: 2, word: '已取缔' });
    expect(eventNote(old, 'zh')).toBe('按台账记载（台账2022.csv，第 1 批，第 2 行：已取缔）');
    expect(eventNote(old, 'en')).toBe('As stated in the ledger (台账2022.csv, batch 1, row 2: “已取缔”)');
  });

  it('leaves a person’s own note as written', () => {
    expect(eventNote({ note: '现场复核，已断电', details: null }, 'en')).toBe('现场复核，已断电');
  });
});
