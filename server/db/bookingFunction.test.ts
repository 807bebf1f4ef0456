import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/helpers/db.js';

/**
 * scheduler_book (migration 0005) hashes the audit entry over texts that PostgreSQL writes as JSON,
 * and entryHash over the same texts written by JSON.stringify: the two must agree on every string.
 */
describe('scheduler_book on PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('writes a string as JSON exactly as JSON.stringify does', async () => {
    // Every character from U+0001 to U+00A0 (the escaped ones and their neighbours), and typical text.
    const samples = [
      Array.from({ length: 0xa0 }, (_, i) => String.fromCodePoint(i + 1)).join(''),
      '（2023）浙0185民初1234号',
      '王"小"明 \\ / \u2028 \u2029 \ufeff 😀 𠀀',
      '{"caseNumber":"（2026）浙0185民初1号","kiosks":["a","b"]}',
      '',
    ];
    for (const text of samples) {
      const { rows } = await sql<{ json: string }>`select to_json(${text}::text)::text as json`.execute(database.db);
      expect(rows[0]?.json).toBe(JSON.stringify(text));
    }
  });

  it('fills a template with the kiosk of each site, in the order of its holes', async () => {
    const template = { parts: ['{"a":', ',"b":[', ',', ']}'], sites: [1, 0, 1] };
    const { rows } = await sql<{ text: string }>`select scheduler_fill(${JSON.stringify(template)}::jsonb, ${[
      'kiosk-0',
      'kiosk-"1"',
    ]}::text[]) as text`.execute(database.db);
    expect(JSON.parse(rows[0]?.text ?? '')).toEqual({ a: 'kiosk-"1"', b: ['kiosk-0', 'kiosk-"1"'] });
    const plain = await sql<{
      text: string;
    }>`select scheduler_fill(${JSON.stringify({ parts: ['{}'], sites: [] })}::jsonb, '{}') as text`.execute(
      database.db,
    );
    expect(plain.rows[0]?.text).toBe('{}');
  });
});
