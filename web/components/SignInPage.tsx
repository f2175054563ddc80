// The sign-in page: username and password, Chinese first with the English switch. Errors from the
// server (wrong password, too many attempts) are shown in the page's own words.
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import { signIn } from '../state/session.tsx';
import { I18nContext, translate } from '../i18n/i18n.tsx';
import { describeError } from '../i18n/error-text.ts';
import type { Language } from '../i18n/code-labels.ts';
import type { MessageKey } from '../i18n/zh.ts';
import type { SessionUser } from '../state/session.tsx';

/** The language in the URL (lang=en), so the link keeps it through sign-in. */
function urlLanguage(): Language {
  return new URLSearchParams(window.location.search).get('lang') === 'en' ? 'en' : 'zh';
}

function setUrlLanguage(lang: Language): void {
  const params = new URLSearchParams(window.location.search);
  if (lang === 'en') params.set('lang', 'en');
  else params.delete('lang');
  const query = params.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
}

export function SignInPage({ ended, onSignedIn }: { ended: boolean; onSignedIn: (user: SessionUser, csrfToken: string) => void }) {
  const [lang, setLang] = useState<Language>(urlLanguage);
  const i18n = useMemo(() => ({ lang, t: (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params) }), [lang]);
  const { t } = i18n;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await signIn(username.trim(), password);
      onSignedIn(session.user, session.csrfToken);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 429) {
        const seconds = Number(caught.details.retryAfter);
        setError(t('signInTooMany', { minutes: Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds / 60)) : 15 }));
      } else if (caught instanceof ApiError && caught.status === 401) setError(t('signInFailed'));
      else setError(describeError(caught, lang));
      setPassword('');
    }
    setBusy(false);
  };

  return (
    <I18nContext.Provider value={i18n}>
      <div className="sign-in" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
        <form className="sign-in-card" onSubmit={(event) => void submit(event)} data-testid="sign-in">
          <header>
            <h1>
              {t('appTitle')} <small>{t('appSubtitle')}</small>
            </h1>
            <button
              type="button"
              className="lang"
              data-testid="lang-switch"
              onClick={() => {
                const next = lang === 'zh' ? 'en' : 'zh';
                setUrlLanguage(next);
                setLang(next);
              }}
            >
              {t('language')}
            </button>
          </header>
          <h2>{t('signInTitle')}</h2>
          <p className="muted">{t('signInIntro')}</p>
          {ended && !error && (
            <p className="notice" role="status">
              {t('signInEnded')}
            </p>
          )}
          <label>
            {t('signInUsername')}
            {/* The page is this form and nothing else: the cursor waits in its first field. */}
            {/* eslint-disable-next-line jsx-a11y-x/no-autofocus */}
            <input name="username" autoComplete="username" required autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
          </label>
          <label>
            {t('signInPassword')}
            <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          {error && (
            <p className="error-text" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('signingIn') : t('signInSubmit')}
          </button>
        </form>
      </div>
    </I18nContext.Provider>
  );
}
