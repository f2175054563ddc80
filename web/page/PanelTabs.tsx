// The side panel's tabs; 导入 and 审计 only for the roles that may use them.
import { refusal } from '../../domain/roles.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useSession } from '../state/session.tsx';
import type { UrlState } from '../state/url-state.ts';

const PANEL_LABELS = {
  layers: 'panelLayers',
  siege: 'panelSiege',
  relapse: 'panelRelapse',
  routes: 'panelRoutes',
  scorecard: 'panelScorecard',
  imports: 'panelImports',
  audit: 'panelAudit',
} as const;

/** Which tabs the signed-in user has: the import wizard needs site writes, the audit trail its reading. */
export function usePanelRights() {
  const { user } = useSession();
  return { canImport: refusal(user, 'writeSites') === null, canReadAudit: refusal(user, 'readAudit') === null };
}

export function PanelTabs({ panel, onPanel }: { panel: UrlState['panel']; onPanel: (panel: UrlState['panel']) => void }) {
  const { t } = useI18n();
  const { canImport, canReadAudit } = usePanelRights();
  const panels = [
    'layers',
    'siege',
    'relapse',
    'routes',
    'scorecard',
    ...(canImport ? (['imports'] as const) : []),
    ...(canReadAudit ? (['audit'] as const) : []),
  ] as const;
  return (
    <div className="tabs" role="tablist">
      {panels.map((name) => (
        <button key={name} type="button" role="tab" aria-selected={panel === name} className={panel === name ? 'on' : ''} onClick={() => onPanel(name)}>
          {t(PANEL_LABELS[name])}
        </button>
      ))}
    </div>
  );
}
