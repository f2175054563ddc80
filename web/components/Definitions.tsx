// One sentence per figure of an analysis, in the UI language, behind a disclosure.
import { useI18n } from '../i18n/i18n.tsx';

export function Definitions({ definitions, summary }: { definitions: Record<string, { zh: string; en: string }>; summary: string }) {
  const { lang } = useI18n();
  return (
    <details>
      <summary>{summary}</summary>
      <ul className="definitions">
        {Object.entries(definitions).map(([key, text]) => (
          <li key={key}>{text[lang]}</li>
        ))}
      </ul>
    </details>
  );
}
