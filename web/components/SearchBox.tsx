// Text search by name or address, as you type (debounced) or with the button; choosing a result
// opens the site and flies to it (the button opens a single match at once).
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { searchSites } from '../state/sites.ts';
import { describeError } from '../i18n/error-text.ts';
import { useI18n } from '../i18n/i18n.tsx';

const SEARCH_LIMIT = 20;
/** Quiet time after the last keystroke (or IME commit) before searching as you type. */
const TYPING_DELAY_MS = 300;

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
  const composing = useRef(false);
  // Bumped when an IME composition ends, so the committed text is searched even if q did not change.
  const [committed, setCommitted] = useState(0);
  const latest = useRef(0);
  /** The text last searched with the button: typing's delayed search skips it (no list after a chosen match). */
  const submitted = useRef<string | null>(null);

  const search = async (openSingle: boolean) => {
    const text = q.trim();
    const request = ++latest.current;
    if (!text) return setResults(null);
    try {
      setError(null);
      const collection = await searchSites({ q: text, limit: String(SEARCH_LIMIT), ...(asOf ? { asOf } : {}) });
      const found = collection.features.map((f) => ({
        id: f.properties.id,
        name: f.properties.name,
        countyName: f.properties.countyName,
        position: f.geometry ? (f.geometry.coordinates as [number, number]) : null,
      }));
      if (request !== latest.current) return; // a newer search is under way
      setResults(found);
      if (openSingle && found.length === 1) choose(found[0]!);
    } catch (caught) {
      setError(caught);
    }
  };
  const choose = (result: Result) => {
    setResults(null);
    onChoose(result);
  };
  // Only the text starts a search as you type; the timer calls the newest `search`.
  const searchNow = useRef(search);
  useLayoutEffect(() => {
    searchNow.current = search;
  });
  useEffect(() => {
    const text = q.trim();
    if (composing.current || text === submitted.current) return;
    // The button may search this text before the pause ends: its search (which opens a single match)
    // must not be replaced by this one when the server is slower than the pause.
    const timer = setTimeout(() => text !== submitted.current && void searchNow.current(false), TYPING_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q, committed]);

  return (
    <form
      className="search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        submitted.current = q.trim();
        void search(true);
      }}
    >
      <input
        type="search"
        value={q}
        placeholder={t('search')}
        aria-label={t('search')}
        onChange={(e) => setQ(e.target.value)}
        onCompositionStart={() => (composing.current = true)}
        onCompositionEnd={() => {
          composing.current = false;
          setCommitted((n) => n + 1);
        }}
      />
      <button type="submit" className="search-button">
        {t('searchButton')}
      </button>
      {error ? (
        <div className="search-results error" role="alert">
          {describeError(error, lang)}
        </div>
      ) : null}
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
