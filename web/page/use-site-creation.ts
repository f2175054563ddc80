// 新增点位: whether its form is open, and whether the next map click sets its position.
import { useState } from 'react';

interface CreateForm {
  picking: boolean;
  /** The position last clicked on the map (the form may take another from typed coordinates). */
  clicked: [number, number] | null;
  /** The position the form holds now, marked on the map. */
  shown: [number, number] | null;
}

export function useSiteCreation() {
  const [form, setForm] = useState<CreateForm | null>(null);
  return {
    form,
    open: () => setForm({ picking: false, clicked: null, shown: null }),
    close: () => setForm(null),
    togglePick: () => setForm((c) => c && { ...c, picking: !c.picking }),
    stopPicking: () => setForm((c) => c && { ...c, picking: false }),
    /** The map click while picking. */
    clickAt: (at: [number, number]) => setForm({ picking: false, clicked: at, shown: at }),
    show: (at: [number, number] | null) => setForm((c) => c && { ...c, shown: at }),
  };
}

export type Creating = ReturnType<typeof useSiteCreation>;
