// A county drop-down with a first "none" option (the whole city, or "choose a county").
export function CountySelect({
  value,
  counties,
  noneLabel,
  onChange,
  testId,
}: {
  value: string;
  counties: readonly { code: string; name: string }[];
  noneLabel: string;
  onChange: (code: string) => void;
  testId?: string;
}) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">{noneLabel}</option>
      {counties.map((c) => (
        <option key={c.code} value={c.code}>
          {c.name}
        </option>
      ))}
    </select>
  );
}
