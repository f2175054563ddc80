// Text search by name or address; choosing a result opens the site and flies to it.
import { useState } from 'react';
import { api, unwrap } from '../api/client.ts';
import { describeError } from '../i18n/error-text.ts';
import { useI18n } from '../i18n/i18n.tsx';

const SEARCH_LIMIT = 20;

interface Result {
  id: number;
  name: string;
  countyName: string;
  position: [number, number] | null;
}

export function SearchBox({ asOf, onChoose }: { asOf: string | null; onChoose: (result: Result) => void }) {
  const { t, lang } = useI18n();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Result[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const search = async () => {
    const text = q.trim();
    if (!text) return setResults(null);
    try {
      setError(null);
      const collection = await unwrap(api.api.sites.$get({ query: { q: text, limit: String(SEARCH_LIMIT), ...(asOf ? { asOf } : {}) } }));
      const found = collection.features.map((f) => ({
        id: f.properties.id,
        name: f.properties.name,
        countyName: f.properties.countyName,
        position: f.geometry ? (f.geometry.coordinates as [number, number]) : null,
      }));
      setResults(found);
      if (found.length === 1) choose(found[0]!);
    } catch (caught) {
      setError(caught);
    }
  };
  const choose = (result: Result) => {
    setResults(null);
    onChoose(result);
  };

  return (
    <form
      className="search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        void search();
      }}
    >
      <input type="search" value={q} placeholder={t('search')} aria-label={t('search')} onChange={(e) => setQ(e.target.value)} />
      {error ? <div className="search-results error" role="alert">{describeError(error, lang)}</div> : null}
      {results && (
        <div className="search-results" role="listbox">
          {results.length === 0 ? (
            <p className="muted">{t('searchNoResult', { q })}</p>
          ) : (
            <>
              <p className="muted">{t(results.length >= SEARCH_LIMIT ? 'searchResultsMore' : 'searchResults', { n: results.length })}</p>
              {results.map((result) => (
                <button type="button" role="option" aria-selected="false" key={result.id} onClick={() => choose(result)}>
                  {result.name} <span className="muted">{result.countyName}</span>
                </button>
              ))}
            </>
          )}
        </div>
      )}
    </form>
  );
}
