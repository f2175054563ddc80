// The bars over the map while it waits for a click or a drawing: 新增点位's position, a route's start,
// placing an unlocated site (with its precision), drawing a road line, a siege core or a route polygon.
import { DrawBar } from '../components/DrawBar.tsx';
import { PrecisionChoice } from '../components/PrecisionChoice.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { CountyFeatureCollection } from '../map/map-controller.ts';
import type { Drawing } from './use-drawing.ts';

export interface ModeBarsProps {
  drawing: Drawing;
  /** 新增点位 waits for the click that sets its position. */
  pickingCreate: boolean;
  onCancelCreatePick: () => void;
  /** A route's start waits for its click. */
  pickingStart: boolean;
  onCancelStartPick: () => void;
  counties: CountyFeatureCollection | null;
}

export function ModeBars({ drawing, pickingCreate, onCancelCreatePick, pickingStart, onCancelStartPick, counties }: ModeBarsProps) {
  const { t } = useI18n();
  const { mode, pending } = drawing;
  return (
    <>
      {pickingCreate && <PickBar text={t('createPickBar')} onCancel={onCancelCreatePick} />}
      {pickingStart && <PickBar text={t('routeStartPick')} onCancel={onCancelStartPick} />}
      {(mode.kind === 'draw' || mode.kind === 'drawCore') && (
        <DrawBar
          target={
            mode.kind === 'draw'
              ? { kind: 'road', road: mode.road, onSave: (county) => drawing.saveRoadLine(mode.road.id, county) }
              : drawing.drawingWithin
                ? { kind: 'within' }
                : { kind: 'core', onSave: drawing.saveCore }
          }
          shape={drawing.drawn}
          counties={counties}
          onUndo={drawing.undo}
          onCancel={drawing.stopDrawing}
        />
      )}
      {mode.kind === 'place' && (
        <div className="mode-bar" role="status">
          {t('placeClick')}
          {pending && (
            <>
              <span>{t('placeConfirm', { lon: pending[0].toFixed(5), lat: pending[1].toFixed(5) })}</span>
              <PrecisionChoice value={drawing.placePrecision} onChange={drawing.setPlacePrecision} />
              <button type="button" onClick={() => void drawing.confirmPlace()}>
                {t('confirm')}
              </button>
            </>
          )}
          <button type="button" onClick={drawing.cancelPlace}>
            {t('cancel')}
          </button>
        </div>
      )}
    </>
  );
}

function PickBar({ text, onCancel }: { text: string; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <div className="mode-bar" role="status">
      {text}
      <button type="button" onClick={onCancel}>
        {t('cancel')}
      </button>
    </div>
  );
}
