import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KioskStatusSchema, UserRoleSchema } from '../../../shared/accounts.js';
import { ERROR_CODES } from '../../../shared/errors.js';
import { BookedRoleSchema, CaseTypeSchema } from '../../../shared/scheduling.js';
import { PROBLEM_REASONS } from '../pages/bookingForm.js';
import { en } from './en.js';
import { lookup } from './lookup.js';
import { zhCN } from './zh-CN.js';

const SRC = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

function leaves(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([k, v]) =>
    v && typeof v === 'object' ? leaves(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

const SECTIONS = Object.keys(zhCN);

describe('messages', () => {
  it('has a string in both languages for every literal key the components ask for', () => {
    const keys = new Set<string>();
    for (const file of sources(SRC)) {
      const text = fs.readFileSync(file, 'utf8');
      // t('a.b') calls, and keys chosen before the call (t(ok ? 'a.b' : 'a.c'), a switch returning 'a.b').
      for (const match of text.matchAll(/\bt\(\s*'([a-zA-Z]+(?:\.[a-zA-Z]+)+)'/g)) if (match[1]) keys.add(match[1]);
      for (const match of text.matchAll(new RegExp(`'((?:${SECTIONS.join('|')})(?:\\.[a-zA-Z]+)+)'`, 'g'))) {
        if (match[1]) keys.add(match[1]);
      }
    }
    expect(keys.size).toBeGreaterThan(50);
    const missing = [...keys].filter((k) => typeof lookup(zhCN, k) !== 'string' || typeof lookup(en, k) !== 'string');
    expect(missing).toEqual([]);
  });

  it('names every value of the enums shown through a computed key', () => {
    const keys = [
      ...[...ERROR_CODES, 'NETWORK'].map((code) => `error.${code}`),
      ...CaseTypeSchema.options.map((type) => `caseType.${type}`),
      ...BookedRoleSchema.options.map((role) => `role.${role}`),
      ...UserRoleSchema.options.map((role) => `header.role.${role}`),
      ...KioskStatusSchema.options.map((status) => `sites.status.${status}`),
      ...PROBLEM_REASONS.map((reason) => `booking.problem.${reason}`),
    ];
    expect(keys.filter((k) => typeof lookup(zhCN, k) !== 'string' || typeof lookup(en, k) !== 'string')).toEqual([]);
  });

  it('has the same keys in both languages', () => {
    expect(leaves(en).sort()).toEqual(leaves(zhCN).sort());
  });
});
