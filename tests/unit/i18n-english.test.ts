// The English page speaks English: Chinese in an English message is a named term the reader meets in the
// Chinese documents (the plan's number, the checklist's name), given beside its English, never a word
// left untranslated.
import { describe, expect, it } from 'vitest';
import { en } from '../../web/i18n/en.ts';
import { INSPECTION_RESULT_MESSAGES, inspectionResultLabel } from '../../web/i18n/code-labels.ts';
import { zh } from '../../web/i18n/zh.ts';

/** Chinese kept on purpose in English messages: the language switch's own name, and terms quoted from the plan. */
const NAMED_TERMS = ['中文', '两断三清', '漯发〔2020〕13号', '动态清零', '三散', '2022年3月5日'];

describe('English messages', () => {
  it('carry Chinese only as named terms', () => {
    const han = /\p{Script=Han}+/gu;
    const stray = Object.entries(en).flatMap(([key, text]) => {
      const rest = NAMED_TERMS.reduce((left, term) => left.split(term).join(''), text);
      return (rest.match(han) ?? []).map((word) => `${key}: ${word}`);
    });
    expect(stray).toEqual([]);
  });

  it('name an inspection result in the same words in the route panel and the site history', () => {
    for (const [code, key] of Object.entries(INSPECTION_RESULT_MESSAGES)) {
      expect(inspectionResultLabel(code, 'zh')).toBe(zh[key]);
      expect(inspectionResultLabel(code, 'en')).toBe(en[key]);
    }
    // Was 与记录一致（已关停）, which an 已整改提升 site (operating, rectified) is not.
    expect(inspectionResultLabel('closed_as_recorded', 'zh')).toBe('与记录一致（已处置）');
  });
});
