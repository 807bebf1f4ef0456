import { describe, expect, it } from 'vitest';
import { formatCaseNumber, parseCaseNumber } from './caseNumber.js';

describe('case numbers', () => {
  it('parses the canonical form into its parts', () => {
    expect(parseCaseNumber('（2023）浙0185民初1234号')).toEqual({
      ok: true,
      value: '（2023）浙0185民初1234号',
      parts: { year: 2023, province: '浙', courtCode: '0185', caseType: '民初', sequence: 1234 },
    });
  });

  it.each([
    ['(2023)浙0185民初1234号', '（2023）浙0185民初1234号'],
    ['（２０２３）浙０１８５民初１２３４号', '（2023）浙0185民初1234号'],
    [' （2023） 浙0185 民初 1234号 ', '（2023）浙0185民初1234号'],
    ['〔2023〕浙0185民初1234号', '（2023）浙0185民初1234号'],
    ['(2024)沪0101刑初7号', '（2024）沪0101刑初7号'],
    ['（2022）浙0185执1号', '（2022）浙0185执1号'],
    ['（2022）浙0185民特33号', '（2022）浙0185民特33号'],
    ['（2022）浙0185执恢12号', '（2022）浙0185执恢12号'],
    ['（2022）浙0185民诉前调1号', '（2022）浙0185民诉前调1号'],
    ['（2023）浙0185行初5号', '（2023）浙0185行初5号'],
    ['（2023）浙01民终88号', '（2023）浙01民终88号'],
    ['（2023）浙民再3号', '（2023）浙民再3号'],
    ['（2023）兵0101民初9号', '（2023）兵0101民初9号'],
  ])('accepts %s as %s', (input, normalized) => {
    const parsed = parseCaseNumber(input);
    expect(parsed).toMatchObject({ ok: true, value: normalized });
    if (parsed.ok) expect(formatCaseNumber(parsed.parts)).toBe(normalized);
  });

  it.each([
    ['', 'empty'],
    ['2023浙0185民初1234号', 'filing year in parentheses'],
    ['（23）浙0185民初1234号', '4 digits'],
    ['（1900）浙0185民初1234号', 'between 1949 and 2099'],
    ['（2023浙0185民初1234号', 'filing year in parentheses'],
    ['（2023）XX0185民初1234号', 'province abbreviation'],
    ['（2023）0185民初1234号', 'province abbreviation'],
    ['（2023）浙185民初1234号', 'court code'],
    ['（2023）浙01850民初1234号', 'court code'],
    ['（2023）浙0185-1234号', 'case-type characters'],
    ['（2023）浙0185号', 'case-type characters'],
    ['（2023）浙0185民初刑初执1234号', 'at most 4 characters'],
    ['（2023）浙0185民初号', 'running number in digits'],
    ['（2023）浙0185民初01号', 'must not start with 0'],
    ['（2023）浙0185民初12345678号', 'at most 7 digits'],
    ['（2023）浙0185民初1234', 'end with 号'],
    ['（2023）浙0185民初1234号之一', 'unexpected'],
    ['（2023）浙0185民初1234 A号', 'unexpected'],
  ])('refuses %s and says why (%s)', (input, why) => {
    const parsed = parseCaseNumber(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toContain(why);
      // Every reason shows what a valid case number looks like.
      expect(parsed.reason).toContain('（2023）浙0185民初1234号');
    }
  });
});
