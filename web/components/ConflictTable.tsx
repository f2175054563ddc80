// The fields two people changed at once, side by side: what I typed and what is stored now
// (the site and road edit forms show it on a 409).
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

export interface ConflictRow {
  field: string;
  label: string;
  mine: ReactNode;
  theirs: ReactNode;
}

export function ConflictTable({ rows }: { rows: readonly ConflictRow[] }) {
  const { t } = useI18n();
  return (
    <table>
      <thead>
        <tr>
          <th />
          <th>{t('conflictMine')}</th>
          <th>{t('conflictTheirs')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.field} data-field={row.field}>
            <th>{row.label}</th>
            <td className="mine">{row.mine}</td>
            <td className="theirs">{row.theirs}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
