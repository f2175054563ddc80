// Counts in the messages: plural forms by Intl.PluralRules and grouped digits by Intl.NumberFormat.
import { describe, expect, it } from 'vitest';
import { formatMessage, translate } from '../../web/i18n/i18n.tsx';
import { en } from '../../web/i18n/en.ts';
import { zh } from '../../web/i18n/zh.ts';

describe('counts in words', () => {
  it('English: one site, 12,345 sites; Chinese: 12,345 个点位', () => {
    expect(translate('en', 'sites', { n: 1 })).toBe('1 site');
    expect(translate('en', 'sites', { n: 0 })).toBe('0 sites');
    expect(translate('en', 'sites', { n: 12345 })).toBe('12,345 sites');
    expect(translate('en', 'routeStops', { n: 1 })).toBe('1 stop');
    expect(translate('en', 'scFigureRoads', { figure: 'Awaiting repair', n: 1 })).toBe('Awaiting repair: 1 road segment');
    expect(translate('zh', 'sites', { n: 12345 })).toBe('12,345 个点位');
  });

  it('an exact form wins over the category, and other is the fallback', () => {
    expect(formatMessage('en', '{n, plural, =0 {no sites} one {# site} other {# sites}}', { n: 0 })).toBe('no sites');
    expect(formatMessage('en', '{n, plural, other {# sites}}', { n: 1 })).toBe('1 sites');
  });

  it('every English message with a count in it says it through a plural form', () => {
    // "{n} sites" would read "1 sites": a count placeholder before a plural noun must be a plural form.
    const bare = Object.entries(en).filter(([, text]) => /\{n\} (sites|results|stops|records|relapses|tasks|road segments|rows)\b/.test(text));
    expect(bare.map(([key]) => key)).toEqual([]);
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });
});
