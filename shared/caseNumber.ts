/*
 * Chinese court case numbers (案号), as laid down by the Supreme People's Court's rules on case numbers:
 * （收案年度）法院代字 类型代字 案件编号 号, e.g. （2023）浙0185民初1234号 — year 2023, a basic court of
 * Zhejiang (浙) with court code 0185, first-instance civil case (民初), number 1234.
 *
 * Clerks type them with whatever their input method gives: full-width or ASCII parentheses, full-width
 * digits, stray spaces. Parsing accepts all of that and returns one canonical spelling (full-width
 * parentheses, ASCII digits, no spaces), so that the same case is always stored and searched the same way.
 */

/** Province-level court abbreviations (法院代字), plus 兵 for the Xinjiang Production and Construction Corps. */
const PROVINCES = new Set([...'京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵黔云滇藏陕甘青宁新兵']);

const EXAMPLE = '（2023）浙0185民初1234号';
const FIRST_YEAR = 1949;
const LAST_YEAR = 2099;
const MAX_CASE_TYPE_CHARS = 4;
const MAX_SEQUENCE_DIGITS = 7;

export interface CaseNumberParts {
  /** The year the case was filed. */
  year: number;
  /** The province abbreviation, e.g. 浙. */
  province: string;
  /** Four digits for a basic court (0185), two for an intermediate court (01), empty for a high court. */
  courtCode: string;
  /** The case-type characters, e.g. 民初, 民终, 刑初, 执, 调. */
  caseType: string;
  /** The case's running number within its year, court and type. */
  sequence: number;
}

export type CaseNumberResult = { ok: true; value: string; parts: CaseNumberParts } | { ok: false; reason: string };

/** The canonical spelling of a parsed case number. */
export function formatCaseNumber(parts: CaseNumberParts): string {
  return `（${parts.year}）${parts.province}${parts.courtCode}${parts.caseType}${parts.sequence}号`;
}

/** Parses a case number; on failure the reason says which part is wrong and shows the expected form. */
export function parseCaseNumber(input: string): CaseNumberResult {
  // NFKC turns full-width parentheses and digits into ASCII and leaves CJK characters as they are.
  // 〔〕 is the bracket older court documents use around the year.
  const text = input.normalize('NFKC').replace(/\s+/gu, '').replace(/〔/gu, '(').replace(/〕/gu, ')');
  const fail = (what: string): CaseNumberResult => ({
    ok: false,
    reason: `case number ${JSON.stringify(input)} is not valid: ${what}; expected the form ${EXAMPLE}`,
  });
  if (text === '') return fail('it is empty');

  const yearMatch = /^\((\d*)\)/u.exec(text);
  if (!yearMatch) return fail('it must begin with the filing year in parentheses, e.g. （2023）');
  const yearText = yearMatch[1] ?? '';
  if (!/^\d{4}$/u.test(yearText)) return fail('the year in parentheses must have 4 digits');
  const year = Number(yearText);
  if (year < FIRST_YEAR || year > LAST_YEAR) return fail(`the year must be between ${FIRST_YEAR} and ${LAST_YEAR}`);

  let rest = text.slice(yearMatch[0].length);
  const province = [...rest][0] ?? '';
  if (!PROVINCES.has(province)) {
    return fail('after the year comes the province abbreviation of the court, such as 浙');
  }
  rest = rest.slice(province.length);

  const courtCode = /^\d*/u.exec(rest)?.[0] ?? '';
  if (![0, 2, 4].includes(courtCode.length)) {
    return fail('the court code after the province must have 4 digits (basic court, e.g. 0185) or 2 (e.g. 01)');
  }
  rest = rest.slice(courtCode.length);

  const caseType = /^(?:(?!号)\p{Script=Han})*/u.exec(rest)?.[0] ?? '';
  if (caseType === '') {
    return fail('the case-type characters (such as 民初, 民终, 刑初, 执) must follow the court code');
  }
  if ([...caseType].length > MAX_CASE_TYPE_CHARS) {
    return fail(`the case type may have at most ${MAX_CASE_TYPE_CHARS} characters`);
  }
  rest = rest.slice(caseType.length);

  const sequenceText = /^\d*/u.exec(rest)?.[0] ?? '';
  if (sequenceText === '') return fail('the case type must be followed by the running number in digits, then 号');
  if (sequenceText.length > MAX_SEQUENCE_DIGITS) {
    return fail(`the running number may have at most ${MAX_SEQUENCE_DIGITS} digits`);
  }
  if (sequenceText.startsWith('0')) return fail('the running number before 号 must not start with 0');
  rest = rest.slice(sequenceText.length);

  if (rest === '') return fail('it must end with 号');
  if (rest !== '号') return fail(`unexpected ${JSON.stringify(rest)} where it should end with 号`);

  const parts: CaseNumberParts = { year, province, courtCode, caseType, sequence: Number(sequenceText) };
  return { ok: true, value: formatCaseNumber(parts), parts };
}
