import * as fs from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DIALECTS, openTestDatabase } from '../../test/helpers/db.js';
import { insertCourt, insertUser } from '../../test/helpers/fixtures.js';
import { openDatabase, schemaMigrator } from './Database.js';

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

describe.each(DIALECTS)('bookings keyed by resource and start (migration 0006) on %s', (dialect) => {
  it('keeps every booking through the change of key, both ways, and still refuses a duplicate row', async () => {
    const database = await openTestDatabase(dialect);
    try {
      const { db } = database;
      const pgSchema =
        dialect === 'postgres'
          ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
          : undefined;
      const migrator = schemaMigrator(db, pgSchema);
      const down = await migrator.migrateDown();
      expect(down.error).toBeUndefined();
      expect(down.results?.map((r) => [r.migrationName, r.direction, r.status])).toEqual([
        ['0006_bookings_by_start', 'Down', 'Success'],
      ]);

      const hearing = (id: string, start: number) => ({
        id,
        case_number: `（2026）浙0185民初${id}号`,
        title: '买卖合同纠纷',
        case_type: 'civil',
        court_id: 'c1',
        judge_id: 'j1',
        clerk_id: 'k1',
        start_ms: start,
        end_ms: start + 3_600_000,
        is_public: 1,
        status: 'scheduled' as const,
        cancel_reason: null,
        version: 1,
        created_ms: 1_795_000_000_000,
        updated_ms: 1_795_000_000_000,
      });
      await insertCourt(db, { id: 'c1' });
      await insertUser(db, { id: 'j1', court_id: 'c1', role: 'judge' });
      await insertUser(db, { id: 'k1', court_id: 'c1', role: 'clerk' });
      const start = Date.parse('2026-12-04T09:00:00+08:00');
      await db
        .insertInto('hearings')
        .values([hearing('1', start), hearing('2', start + 7_200_000)])
        .execute();
      const first = { resource_key: 'judge:j1', hearing_id: '1', start_ms: start, end_ms: start + 3_600_000 };
      const rows = [
        first,
        { resource_key: 'clerk:k1', hearing_id: '1', start_ms: start, end_ms: start + 3_600_000 },
        { resource_key: 'judge:j1', hearing_id: '2', start_ms: start + 7_200_000, end_ms: start + 10_800_000 },
      ];
      await db.insertInto('bookings').values(rows).execute();
      const stored = () => db.selectFrom('bookings').selectAll().orderBy('resource_key').orderBy('start_ms').execute();
      const before = await stored();

      const up = await migrator.migrateToLatest();
      expect(up.error).toBeUndefined();
      expect(await stored()).toEqual(before);
      // The new key refuses the same resource, start and hearing twice, and nothing is added.
      await expect(db.insertInto('bookings').values(first).execute()).rejects.toThrow();
      expect(await stored()).toEqual(before);

      // And back: the old key holds the same rows.
      expect((await migrator.migrateDown()).error).toBeUndefined();
      expect(await stored()).toEqual(before);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect(await stored()).toEqual(before);
    } finally {
      await database.destroy();
    }
  });
});

describe('SQLite kept statements', () => {
  it('answer each run with its own parameters, after a streamed run of the same query, and after a schema change', async () => {
    const database = await openTestDatabase('sqlite');
    try {
      const { db } = database;
      const courts = [];
      for (const [i, id] of ['c1', 'c2', 'c3'].entries()) courts.push(await insertCourt(db, { id, name: `法院${i}` }));
      const byId = (id: string) => db.selectFrom('courts').select(['id', 'name']).where('id', '=', id);
      for (const court of courts) expect(await byId(court.id).execute()).toEqual([{ id: court.id, name: court.name }]);

      // A streamed query holds its statement until it is read to the end or left: the same text runs
      // whole again afterwards.
      const all = () => db.selectFrom('courts').select('id').where('id', '>', '').orderBy('id');
      for await (const row of all().stream()) {
        expect(row.id).toBe('c1');
        break;
      }
      expect((await all().execute()).map((r) => r.id)).toEqual(['c1', 'c2', 'c3']);
      const streamed: string[] = [];
      for await (const row of all().stream()) streamed.push(row.id);
      expect(streamed).toEqual(['c1', 'c2', 'c3']);

      await sql`alter table courts add column note text`.execute(db);
      await sql`update courts set name = 'renamed' where id = 'c2'`.execute(db);
      expect(await byId('c2').execute()).toEqual([{ id: 'c2', name: 'renamed' }]);
    } finally {
      await database.destroy();
    }
  });
});
