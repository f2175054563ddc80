// Monthly counts as small grouped bars (found / closed / relapsed), drawn as SVG so it prints.
import { useI18n } from '../i18n/i18n.tsx';
import { STATUS_COLORS } from '../map/colors.ts';

export interface TrendMonth {
  month: string;
  discovered: number;
  closed: number;
  relapsed: number;
}

const SERIES = [
  { key: 'discovered', color: STATUS_COLORS.discovered, label: 'scDiscovered' },
  { key: 'closed', color: STATUS_COLORS.closed, label: 'scClosed' },
  { key: 'relapsed', color: STATUS_COLORS.relapsed, label: 'scRelapsed' },
] as const;

/** The last `months` months of a trend. */
export function TrendBars({
  trend,
  months = 12,
  width = 290,
  height = 90,
}: {
  trend: readonly TrendMonth[];
  months?: number;
  width?: number;
  height?: number;
}) {
  const { t } = useI18n();
  const shown = lastMonths(trend, months);
  if (shown.length === 0) return <p className="muted">—</p>;
  const max = Math.max(1, ...shown.flatMap((m) => [m.discovered, m.closed, m.relapsed]));
  const slot = width / shown.length;
  const bar = Math.max(1, (slot - 4) / 3);
  const plot = height - 16;
  return (
    <figure className="trend">
      <svg width={width} height={height} role="img" aria-label={t('scTrend')}>
        {shown.map((m, i) => (
          <g key={m.month} transform={`translate(${i * slot + 2},0)`}>
            {SERIES.map((series, j) => {
              const h = (m[series.key] / max) * plot;
              return (
                <rect key={series.key} x={j * bar} y={plot - h} width={bar - 0.5} height={h} fill={series.color}>
                  <title>{`${m.month} ${t(series.label)} ${m[series.key]}`}</title>
                </rect>
              );
            })}
            {(i === 0 || i === shown.length - 1 || m.month.endsWith('-01')) && (
              <text x={0} y={height - 3} fontSize={9} fill="#616e7c">
                {m.month}
              </text>
            )}
          </g>
        ))}
      </svg>
      <figcaption className="muted">
        {SERIES.map((series) => (
          <span key={series.key} className="legend-dot">
            <span className="swatch" style={{ background: series.color }} /> {t(series.label)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** The `count` calendar months up to the trend's last month, months without events as zeros. */
export function lastMonths(trend: readonly TrendMonth[], count: number): TrendMonth[] {
  const last = trend.at(-1)?.month;
  if (!last) return [];
  const byMonth = new Map(trend.map((m) => [m.month, m]));
  const [year, month] = last.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const date = new Date(Date.UTC(year, month - 1 - (count - 1 - i), 1));
    const key = date.toISOString().slice(0, 7);
    return byMonth.get(key) ?? { month: key, discovered: 0, closed: 0, relapsed: 0 };
  });
}
