import { describe, expect, it } from 'vitest';
import {
  CreateUserInputSchema,
  RegisterCourtInputSchema,
  RegisterKioskInputSchema,
  RegisterSiteInputSchema,
} from '../../../shared/accounts.js';
import { en } from '../i18n/en.js';
import { zhCN } from '../i18n/zh-CN.js';
import {
  checkForm,
  countiesOf,
  EMPTY_COURT,
  EMPTY_SITE,
  emptyUserForm,
  FIELD_PROBLEMS,
  problemKey,
} from './adminForms.js';

describe('checkForm', () => {
  it('answers the cleaned input a valid court form sends', () => {
    expect(checkForm(RegisterCourtInputSchema, { name: ' 临安区人民法院 ', regionCode: '330112' })).toEqual({
      ok: true,
      data: { name: '临安区人民法院', regionCode: '330112' },
    });
  });

  it('names each field the shared schema refuses', () => {
    expect(checkForm(RegisterCourtInputSchema, EMPTY_COURT)).toEqual({ ok: false, fields: ['name', 'regionCode'] });
    const site = checkForm(RegisterSiteInputSchema, { ...EMPTY_SITE, name: '大济村共享法庭', addressCode: '3311-26' });
    expect(site).toEqual({ ok: false, fields: ['county', 'addressCode'] });
    expect(problemKey(site, 'addressCode')).toBe('admin.problem.addressCode');
    expect(problemKey(site, 'name')).toBeNull();
    expect(problemKey(null, 'county')).toBeNull();
  });

  it('accepts 12 to 24 digit address codes only', () => {
    const site = (addressCode: string) =>
      checkForm(RegisterSiteInputSchema, { name: '某村', county: '庆元县', addressCode }).ok;
    expect([site('331126101201'), site('3'.repeat(24)), site('33112610120'), site('3'.repeat(25))]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('refuses short passwords and bad usernames, and lower-cases the username', () => {
    const form = { ...emptyUserForm('court-1'), username: 'Clerk.Zhao', displayName: '赵书记员' };
    expect(checkForm(CreateUserInputSchema, { ...form, password: 'short' })).toEqual({
      ok: false,
      fields: ['password'],
    });
    expect(checkForm(CreateUserInputSchema, { ...form, username: 'a b', password: 'long enough 1' })).toEqual({
      ok: false,
      fields: ['username'],
    });
    const ok = checkForm(CreateUserInputSchema, { ...form, password: 'long enough 1' });
    expect(ok.ok && ok.data.username).toBe('clerk.zhao');
    expect(checkForm(CreateUserInputSchema, { ...form, courtId: '', role: 'boss', password: 'x'.repeat(10) })).toEqual({
      ok: false,
      fields: ['courtId', 'role'],
    });
  });

  it('checks a kiosk name', () => {
    expect(checkForm(RegisterKioskInputSchema, { siteId: 'site-1', name: '  ' })).toEqual({
      ok: false,
      fields: ['name'],
    });
  });

  it('has a sentence in both languages for every field a form can refuse', () => {
    const fields = [
      RegisterCourtInputSchema,
      RegisterSiteInputSchema,
      RegisterKioskInputSchema,
      CreateUserInputSchema,
    ].flatMap((schema) => Object.keys(schema.shape));
    const lookup = (messages: object, key: string): unknown =>
      key
        .split('.')
        .reduce<unknown>(
          (node, part) => (node && typeof node === 'object' ? Reflect.get(node, part) : undefined),
          messages,
        );
    for (const field of fields) {
      expect(Object.hasOwn(FIELD_PROBLEMS, field), field).toBe(true);
    }
    const missing = Object.values(FIELD_PROBLEMS).filter(
      (key) => typeof lookup(zhCN, key) !== 'string' || typeof lookup(en, key) !== 'string',
    );
    expect(missing).toEqual([]);
  });
});

describe('countiesOf', () => {
  it('lists each county once', () => {
    expect(countiesOf([{ county: '庆元县' }, { county: '临安区' }, { county: '庆元县' }])).toHaveLength(2);
  });
});
