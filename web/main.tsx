import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';
import { App } from './app.tsx';
import { I18nContext, translate } from './i18n/i18n.tsx';
import type { MessageKey } from './i18n/zh.ts';
import { ScorecardPage } from './pages/ScorecardPage.tsx';
import { TaskBoardPage } from './pages/TaskBoardPage.tsx';

// `?page=` picks a page beside the map; everything else is the map.
const params = new URLSearchParams(window.location.search);
const page = params.get('page');
const lang = params.get('lang') === 'en' ? 'en' : 'zh';
const i18n = { lang, t: (key: MessageKey, values?: Record<string, string | number>) => translate(lang, key, values) } as const;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {page === 'scorecard' || page === 'tasks' ? (
      <I18nContext.Provider value={i18n}>{page === 'scorecard' ? <ScorecardPage params={params} /> : <TaskBoardPage params={params} />}</I18nContext.Provider>
    ) : (
      <App />
    )}
  </StrictMode>,
);
