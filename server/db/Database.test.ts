import * as fs from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DIALECTS, openTestDatabase } from '../../test/helpers/db.js';
import { openDatabase } from './Database.js';

describe.each(DIALECTS)('database on %s', (dialect) => {
  it('creates the schema on first start and is idempotent on the next', async () => {
    const database = await openTestDatabase(dialect);
    try {
      await database.db
        .insertInto('courts')
        .values({ id: 'c1', name: '临安区人民法院', region_code: '330112', created_ms: 1_795_000_000_000 })
        .execute();
      const row = await database.db.selectFrom('courts').selectAll().executeTakeFirstOrThrow();
      // Millisecond timestamps come back as numbers on both databases.
      expect(row.created_ms).toBe(1_795_000_000_000);
      const tables = await database.db.introspection.getTables();
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(['courts', 'sites', 'kiosks', 'users', 'hearings', 'bookings', 'audit_log']),
      );
    } finally {
      await database.destroy();
    }
  });
});

describe('SQLite file', () => {
  it('is created with its folder on first start, and reopened with its data', async () => {
    const dir = `${process.env.TMPDIR ?? '/tmp'}/shared-court-db-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const file = `${dir}/nested/court.sqlite`;
    const first = await openDatabase({ url: file });
    await first.db.insertInto('courts').values({ id: 'c', name: 'n', region_code: '330112', created_ms: 1 }).execute();
    await first.close();
    const second = await openDatabase({ url: file });
    const { count } = await second.db
      .selectFrom('courts')
      .select(sql<number>`count(*)`.as('count'))
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(1);
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('SQLite checkpoints', () => {
  it('are made by the background worker, not inside the commits', async () => {
    const dir = fs.mkdtempSync(`${process.env.TMPDIR ?? '/tmp'}/shared-court-wal-`);
    const file = `${dir}/court.sqlite`;
    const database = await openDatabase({ url: file });
    try {
      const before = fs.statSync(file).size;
      await database.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 50; i++) {
          const rows = Array.from({ length: 100 }, (_, j) => ({
            id: `c${i}-${j}`,
            name: `court ${i} ${j} ${'x'.repeat(200)}`,
            region_code: '330112',
            created_ms: 1,
          }));
          await trx.insertInto('courts').values(rows).execute();
        }
      });
      // The commit leaves the pages in the WAL; the database file only grows when a checkpoint copies them.
      expect(fs.statSync(file).size).toBe(before);
      await expect
        .poll(() => fs.statSync(file).size, { timeout: 5000, interval: 200 })
        .toBeGreaterThan(before + 500_000);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
