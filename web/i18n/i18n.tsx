// The language switch: Chinese by default, English second. `t(key, params)` fills {placeholders}.
import { createContext, useContext } from 'react';
import { en } from './en.ts';
import { zh, type MessageKey } from './zh.ts';
import type { Language } from './code-labels.ts';

export const MESSAGES: Record<Language, Record<MessageKey, string>> = { zh, en };

const LOCALES: Record<Language, string> = { zh: 'zh-CN', en: 'en' };
const numberFormats = new Map<Language, Intl.NumberFormat>();
const pluralRules = new Map<Language, Intl.PluralRules>();

/** `12345` as the reader writes it: 12,345. */
export function formatNumber(lang: Language, n: number): string {
  let format = numberFormats.get(lang);
  if (!format) numberFormats.set(lang, (format = new Intl.NumberFormat(LOCALES[lang])));
  return format.format(n);
}

// ICU's plural form, the part of MessageFormat the messages need: `{n, plural, one {# site} other {# sites}}`
// (`=0 {…}` for an exact number); `#` is the number, grouped for the language.
const PLURAL = /\{(\w+), plural,((?:\s*=?\w+ \{[^{}]*\})+)\s*\}/g;

/** Fills a message: plural forms by Intl.PluralRules, then {placeholders}. */
export function formatMessage(lang: Language, template: string, params: Record<string, string | number> = {}): string {
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(LOCALES[lang])));
  const plural = rules;
  return template
    .replace(PLURAL, (whole: string, name: string, cases: string) => {
      if (params[name] === undefined) return whole;
      const n = Number(params[name]);
      const forms = new Map([...cases.matchAll(/(=?\w+) \{([^{}]*)\}/g)].map((m) => [m[1]!, m[2]!]));
      const form = forms.get(`=${n}`) ?? forms.get(plural.select(n)) ?? forms.get('other') ?? '';
      return form.replace(/#/g, formatNumber(lang, n));
    })
    .replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export function translate(lang: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return formatMessage(lang, MESSAGES[lang][key], params);
}

export interface I18n {
  lang: Language;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
}

export const I18nContext = createContext<I18n>({ lang: 'zh', t: (key, params) => translate('zh', key, params) });

export const useI18n = () => useContext(I18nContext);
