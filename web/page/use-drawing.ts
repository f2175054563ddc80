// The map's modes beside browsing: placing an unlocated site (click, precision, confirm), drawing a
// road segment's line, drawing a siege core or a route's "within" polygon; and the saves they end in.
import { useState } from 'react';
import type { ChosenPrecision } from '../components/PrecisionChoice.tsx';
import type { DrawnRoad } from '../components/DrawBar.tsx';
import type { MessageKey } from '../i18n/zh.ts';
import { useSaveCore } from '../state/analyses.ts';
import { useDrawRoad } from '../state/roads.ts';
import { usePlaceSite } from '../state/sites.ts';
import type { UrlState } from '../state/url-state.ts';
import { bboxOf, type FlyTarget } from './use-selection.ts';

export type Mode =
  { kind: 'browse' } | { kind: 'place'; siteId: number } | { kind: 'draw'; road: DrawnRoad; from: [number, number][] | null } | { kind: 'drawCore' };

interface DrawingDeps {
  update: (patch: Partial<UrlState>) => void;
  setFlyTo: (target: FlyTarget) => void;
  setError: (error: unknown) => void;
  setMessage: (message: string | null) => void;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
}

export function useDrawing({ update, setFlyTo, setError, setMessage, t }: DrawingDeps) {
  const [mode, setMode] = useState<Mode>({ kind: 'browse' });
  // The shape being drawn (a road line or a core's ring), once a double-click has ended it.
  const [drawn, setDrawn] = useState<[number, number][] | null>(null);
  const [undoDrawing, setUndoDrawing] = useState(0);
  // Drawing the polygon a route's stops must lie in (the core tool, kept on the route panel).
  const [drawingWithin, setDrawingWithin] = useState(false);
  const [pending, setPending] = useState<[number, number] | null>(null);
  const [placePrecision, setPlacePrecision] = useState<ChosenPrecision>('approximate');
  const placeSite = usePlaceSite();
  const saveCoreShape = useSaveCore();
  const saveRoadShape = useDrawRoad();

  const stopDrawing = () => {
    setMode({ kind: 'browse' });
    setDrawn(null);
    setDrawingWithin(false);
  };
  const cancelPlace = () => {
    setMode({ kind: 'browse' });
    setPending(null);
    setPlacePrecision('approximate');
    setDrawingWithin(false);
  };

  const confirmPlace = async () => {
    if (mode.kind !== 'place' || !pending) return;
    try {
      const result = await placeSite({ param: { id: String(mode.siteId) }, json: { lon: pending[0], lat: pending[1], precision: placePrecision } });
      setMessage(
        result.countyChanged
          ? t('countyChanged', { from: result.countyChanged.from, to: result.countyChanged.to })
          : t('placed', { county: result.site.properties.countyName }),
      );
      update({ site: mode.siteId });
    } catch (caught) {
      setError(caught);
    }
    setPending(null);
    setPlacePrecision('approximate');
    setMode({ kind: 'browse' });
  };

  const saveCore = async (name: string) => {
    if (!drawn) return;
    try {
      const saved = await saveCoreShape({ name, geometry: { type: 'Polygon', coordinates: [drawn] } });
      update({ core: saved.properties.id });
      stopDrawing();
    } catch (caught) {
      setError(caught);
    }
  };

  const saveRoadLine = async (roadId: number, county: string) => {
    if (!drawn) return;
    try {
      await saveRoadShape({ param: { id: String(roadId) }, json: { geometry: { type: 'LineString', coordinates: drawn }, county } });
      update({ road: roadId, site: null });
      stopDrawing();
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  const drawRoad = (road: DrawnRoad, from: [number, number][] | null) => {
    setDrawn(null);
    setMode({ kind: 'draw', road, from });
    // A redraw starts from the whole line in view, its vertices ready to drag.
    if (from) setFlyTo({ bounds: bboxOf({ coordinates: from }), top: 160 });
  };
  const drawCore = (within: boolean) => {
    setDrawn(null);
    setDrawingWithin(within);
    setMode({ kind: 'drawCore' });
  };

  return {
    mode,
    setMode,
    drawn,
    setDrawn,
    undoDrawing,
    undo: () => setUndoDrawing((n) => n + 1),
    drawingWithin,
    pending,
    setPending,
    placePrecision,
    setPlacePrecision,
    confirmPlace,
    cancelPlace,
    saveCore,
    saveRoadLine,
    drawRoad,
    drawCore,
    stopDrawing,
  };
}

export type Drawing = ReturnType<typeof useDrawing>;
