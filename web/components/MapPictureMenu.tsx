// 导出地图: the current view as a PNG or a PDF page (A4/A3, landscape/portrait) with title, legend
// (the statuses shown, the road segments and the analysis layers in view), scale bar, north arrow,
// dates, data source and — when demo records (sites or road segments) are in view — the demo note. Drawing is in
// web/map/map-picture.ts; this asks the map for its picture and the API whether demo records are in view.
import { campaignDay } from '../../domain/days.ts';
import { useState } from 'react';
import { STATUS_CODES } from '../../domain/statuses.ts';
import { anySite } from '../state/sites.ts';
import { roadStatusLabel, statusLabel } from '../i18n/code-labels.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ROAD_STATUS_COLORS, STATUS_COLORS } from '../map/colors.ts';
import type { MapController } from '../map/map-controller.ts';
import { composePicture, pictureToPdf, type CapturedMap, type LegendGroup, type Orientation, type Paper } from '../map/map-picture.ts';
import { siteFilterQuery, type UrlState } from '../state/url-state.ts';
import type { RoadStatusCode } from '../../domain/statuses.ts';

function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Whether demo records pass the view's filters inside the captured view (one id is enough). */
async function demoInView(state: UrlState, bounds: CapturedMap['bounds']): Promise<boolean> {
  if (state.source === 'real' || state.statuses.length === 0) return false;
  const [west, south, east, north] = bounds;
  const clamp = (n: number, limit: number) => Math.max(-limit, Math.min(limit, n)).toFixed(6);
  const bbox = [clamp(west, 180), clamp(south, 85), clamp(east, 180), clamp(north, 85)].join(',');
  return anySite({ ...siteFilterQuery(state), source: 'demo', bbox });
}

export function MapPictureMenu({ map, state, countyName }: { map: MapController | null; state: UrlState; countyName: string | null }) {
  const { t, lang } = useI18n();
  const [paper, setPaper] = useState<Paper>('a4');
  const [orientation, setOrientation] = useState<Orientation>('landscape');
  const [heading, setHeading] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const defaultHeading = countyName ? t('pictureDefaultCounty', { county: countyName }) : t('pictureDefaultCity');

  const legendFor = (captured: CapturedMap): LegendGroup[] => {
    const statuses = STATUS_CODES.filter((status) => state.statuses.includes(status));
    const groups: LegendGroup[] = [
      {
        title: t('pictureStatuses'),
        entries: statuses.map((status) => ({ symbol: { kind: 'dot', color: STATUS_COLORS[status] }, label: statusLabel(status, lang) })),
      },
    ];
    if (captured.markers.length)
      groups[0]!.entries.push({ symbol: { kind: 'ring', colors: statuses.map((status) => STATUS_COLORS[status]) }, label: t('pictureClusters') });
    if (captured.shown.has('roads'))
      groups.push({
        title: t('pictureRoads'),
        entries: [...captured.roadStatuses].map((status) => ({
          symbol: { kind: 'line', color: ROAD_STATUS_COLORS[status as RoadStatusCode] ?? '#555', width: 5 },
          label: roadStatusLabel(status as RoadStatusCode, lang),
        })),
      });
    // Colours as the layers of map-controller.ts paint them.
    const analysis: LegendGroup['entries'] = [];
    if (captured.shown.has('siege-cells'))
      analysis.push({ symbol: { kind: 'box', colors: ['#fff7ec', '#fdd49e', '#fc8d59', '#d7301f', '#7f0000'] }, label: t('pictureSiegeCells') });
    if (captured.shown.has('siege-core')) analysis.push({ symbol: { kind: 'line', color: '#123b63', dashed: true }, label: t('pictureSiegeCore') });
    if (captured.shown.has('relapse-cells')) {
      analysis.push({ symbol: { kind: 'box', colors: ['#fc8d59', '#d7301f', '#7f0000'] }, label: t('pictureRelapseHot') });
      analysis.push({ symbol: { kind: 'box', colors: ['#4575b4'] }, label: t('pictureRelapseCold') });
    }
    if (captured.shown.has('relapse-points')) analysis.push({ symbol: { kind: 'dot', color: '#c92a2a', ring: '#ffffff' }, label: t('pictureRelapsePoints') });
    if (captured.shown.has('relapse-moves')) analysis.push({ symbol: { kind: 'line', color: '#6b3fa0', dashed: true }, label: t('pictureRelapseMoves') });
    if (captured.shown.has('route-line') || captured.shown.has('route-stops'))
      analysis.push({ symbol: { kind: 'line', color: '#123b63', width: 4 }, label: t('pictureRoute') });
    if (captured.shown.has('highlight-points') || captured.shown.has('highlight-lines'))
      analysis.push({ symbol: { kind: 'dot', color: '#ffd43b', ring: '#f08c00' }, label: t('pictureHighlight') });
    if (analysis.length) groups.push({ title: t('pictureAnalysis'), entries: analysis });
    return groups;
  };

  const make = async (format: 'png' | 'pdf') => {
    if (!map) return;
    setBusy(true);
    setError(null);
    try {
      const captured = await map.capture();
      const demo = captured.demoDrawn || (await demoInView(state, captured.bounds));
      const title = heading.trim() || defaultHeading;
      const asOf = state.asOf ?? campaignDay();
      const statuses =
        state.statuses.length === STATUS_CODES.length ? t('pictureAllStatuses') : state.statuses.map((status) => statusLabel(status, lang)).join('、');
      const canvas = await composePicture(
        captured,
        paper,
        orientation,
        {
          title,
          subtitle: t('pictureSubtitle', { area: countyName ?? t('allCounties'), statuses, asOf }),
          legendTitle: t('pictureLegend'),
          north: t('pictureNorth'),
          distance: (metres) => (metres >= 1000 ? t('pictureKm', { n: metres / 1000 }) : t('pictureM', { n: metres })),
          footer: [t('pictureSource'), t('pictureDates', { asOf, made: campaignDay() })],
          demoNote: demo ? t('pictureDemo') : null,
        },
        legendFor(captured),
      );
      const blob =
        format === 'png'
          ? await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob'))), 'image/png'))
          : await pictureToPdf(canvas, paper, orientation, title);
      saveBlob(blob, `${title}_${asOf}_${paper.toUpperCase()}.${format}`);
    } catch (caught) {
      setError(t('pictureFailed', { message: (caught as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="map-picture" data-testid="map-picture">
      <h3>{t('pictureTitle')}</h3>
      <p className="legend-note">{t('pictureHint')}</p>
      <label className="field">
        {t('pictureHeading')}
        <input value={heading} placeholder={defaultHeading} onChange={(e) => setHeading(e.target.value)} />
      </label>
      <div className="map-picture-row">
        <label className="field">
          {t('picturePaper')}
          <select value={paper} onChange={(e) => setPaper(e.target.value as Paper)}>
            <option value="a4">A4</option>
            <option value="a3">A3</option>
          </select>
        </label>
        <label className="field">
          {t('pictureOrientation')}
          <select value={orientation} onChange={(e) => setOrientation(e.target.value as Orientation)}>
            <option value="landscape">{t('pictureLandscape')}</option>
            <option value="portrait">{t('picturePortrait')}</option>
          </select>
        </label>
      </div>
      <span className="export-links">
        {(['png', 'pdf'] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="chip"
            data-picture={format}
            disabled={!map || busy}
            title={map ? undefined : t('pictureNoMap')}
            onClick={() => void make(format)}
          >
            {format.toUpperCase()}
          </button>
        ))}
      </span>
      {busy && <p className="legend-note">{t('pictureMaking')}</p>}
      {error && <p className="legend-note error">{error}</p>}
    </div>
  );
}
