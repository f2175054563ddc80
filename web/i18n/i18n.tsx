// The language switch: Chinese by default, English second. `t(key, params)` fills {placeholders}.
import { createContext, useContext } from 'react';
import { en } from './en.ts';
import { zh, type MessageKey } from './zh.ts';
import type { Language } from './code-labels.ts';

export const MESSAGES: Record<Language, Record<MessageKey, string>> = { zh, en };

export function translate(lang: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export interface I18n {
  lang: Language;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
}

export const I18nContext = createContext<I18n>({ lang: 'zh', t: (key, params) => translate('zh', key, params) });

export const useI18n = () => useContext(I18nContext);
