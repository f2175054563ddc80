// Notes the product writes itself, in the reader's language. A ledger import's stated status keeps
// its facts in the event's details ({ source: 'ledger', file, batch, row, word }); the words come
// from the message files. Events written before (or location events of an import, whose note is
// the old "按台账记载（…）· as stated in ledger …" text) are read back into the same facts.
import type { Language } from './code-labels.ts';
import { translate } from './i18n.tsx';

export interface LedgerFacts {
  file: string;
  batch: number;
  row: number;
  word: string | null;
}

const OLD_LEDGER_NOTE = /^按台账记载（(.+)，(?:导入批次 |第 )(\d+)(?: 批)?，第 (\d+) 行(?:：(.+?))?）(?:\s*·\s*as stated in ledger .*)?$/;

/** The ledger facts of an event, from its details or (older rows) from its note; null for other events. */
export function ledgerFacts(event: { note: string | null; details: unknown }): LedgerFacts | null {
  const details = event.details as (Partial<LedgerFacts> & { source?: unknown }) | null;
  if (details && details.source === 'ledger' && typeof details.file === 'string' && typeof details.row === 'number')
    return { file: details.file, batch: Number(details.batch), row: details.row, word: typeof details.word === 'string' && details.word ? details.word : null };
  const match = event.note ? OLD_LEDGER_NOTE.exec(event.note) : null;
  return match ? { file: match[1]!, batch: Number(match[2]), row: Number(match[3]), word: match[4] ?? null } : null;
}

/** The note to show under an event: the ledger's words in `lang`, or the note as written. */
export function eventNote(event: { note: string | null; details: unknown }, lang: Language): string | null {
  const facts = ledgerFacts(event);
  if (!facts) return event.note;
  const word = facts.word ? translate(lang, 'ledgerStatedWord', { word: facts.word }) : '';
  return translate(lang, 'ledgerStated', { file: facts.file, batch: facts.batch, row: facts.row, word });
}
