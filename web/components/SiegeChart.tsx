// A radial chart of the sectors round the core: each wedge's length is its count of counted sites
// within the near distance; north is up.
export function SiegeChart({ counts, label }: { counts: readonly number[]; label: string }) {
  const size = 180;
  const centre = size / 2;
  const inner = 16;
  const outer = centre - 14;
  const max = Math.max(1, ...counts);
  const width = (2 * Math.PI) / counts.length;
  const point = (r: number, a: number) => `${(centre + r * Math.sin(a)).toFixed(2)} ${(centre - r * Math.cos(a)).toFixed(2)}`;
  return (
    <svg className="siege-chart" width={size} height={size} viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label}>
      <circle cx={centre} cy={centre} r={outer} fill="none" stroke="#d9dee3" />
      <circle cx={centre} cy={centre} r={inner} fill="#123b63" fillOpacity={0.15} stroke="#123b63" />
      {counts.map((count, index) => {
        const from = index * width - width / 2;
        const to = from + width;
        const r = inner + ((outer - inner) * count) / max;
        return (
          <path
            key={index}
            d={`M ${point(inner, from)} L ${point(r, from)} A ${r} ${r} 0 0 1 ${point(r, to)} L ${point(inner, to)} A ${inner} ${inner} 0 0 0 ${point(inner, from)} Z`}
            fill={count > 0 ? '#d7301f' : '#f1f3f5'}
            stroke="#fff"
          >
            <title>{`${index}: ${count}`}</title>
          </path>
        );
      })}
      <text x={centre} y={10} textAnchor="middle" fontSize={10} fill="#616e7c">
        N
      </text>
    </svg>
  );
}
