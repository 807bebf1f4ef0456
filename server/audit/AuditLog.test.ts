import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { appendAudit, entryHash, verifyAudit } from './AuditLog.js';

describe.each(DIALECTS)('audit chain on %s', (dialect) => {
  let database: TestDatabase | undefined;

  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });

  const seeded = async (count: number): Promise<TestDatabase> => {
    database = await openTestDatabase(dialect);
    const { db } = database;
    for (let i = 1; i <= count; i++) {
      await db.transaction().execute((trx) =>
        appendAudit(trx, dialect, {
          actor: 'user:clerk-1',
          action: 'hearing.booked',
          subject: `hearing:h${i}`,
          details: { caseNumber: `（2026）浙0185民初${i}号` },
        }),
      );
    }
    return database;
  };

  it('links every entry to the one before; an untouched chain verifies', async () => {
    const { db } = await seeded(5);
    expect(await verifyAudit(db)).toMatchObject({ ok: true, entries: 5 });
    const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
  });

  it('an edited entry is found and named', async () => {
    const { db } = await seeded(5);
    await db.updateTable('audit_log').set({ actor: 'user:someone-else' }).where('seq', '=', 3).execute();
    expect(await verifyAudit(db)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('an edited entry whose hash was recomputed breaks the link of the next one', async () => {
    const { db } = await seeded(5);
    const { entryHash } = await import('./AuditLog.js');
    const row = await db.selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
    const forged = { ...row, details_json: '{"caseNumber":"forged"}' };
    await db
      .updateTable('audit_log')
      .set({ details_json: forged.details_json, hash: entryHash(forged) })
      .where('seq', '=', 2)
      .execute();
    expect(await verifyAudit(db)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('a deleted entry in the middle or at the end is found', async () => {
    const { db } = await seeded(5);
    await db.deleteFrom('audit_log').where('seq', '=', 2).execute();
    expect(await verifyAudit(db)).toMatchObject({ ok: false, firstBrokenSeq: 2 });
    await database?.destroy();

    const other = await seeded(4);
    await other.db.deleteFrom('audit_log').where('seq', '=', 4).execute();
    expect(await verifyAudit(other.db)).toMatchObject({ ok: false, firstBrokenSeq: 4 });
  });

  // On PostgreSQL the server computes the hash (appendAudit's one round trip): it must be entryHash's.
  it('hashes any text as entryHash does', async () => {
    database = await openTestDatabase(dialect);
    const { db } = database;
    const texts = [
      '（2026）浙0185民初1号',
      'quote " backslash \\ slash /',
      'tab\tnewline\n\u0001\u2028',
      '😀 emoji',
      '',
    ];
    const rows = [];
    for (const [i, text] of texts.entries()) {
      rows.push(
        await db
          .transaction()
          .execute((trx) =>
            appendAudit(
              trx,
              dialect,
              { actor: `user:${text}`, action: 'test.text', subject: text, details: { text, n: i, at: 1.5, no: null } },
              1_795_000_000_000 + i,
            ),
          ),
      );
    }
    for (const row of rows) expect(row.hash).toBe(entryHash(row));
    expect(await db.selectFrom('audit_log').selectAll().orderBy('seq').execute()).toEqual(rows);
    expect(await verifyAudit(db)).toMatchObject({ ok: true, entries: texts.length });
  });

  it('concurrent appends still form one chain', async () => {
    database = await openTestDatabase(dialect);
    const { db } = database;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db
          .transaction()
          .execute((trx) =>
            appendAudit(trx, dialect, { actor: 'system', action: 'test.append', subject: `n:${i}`, details: { i } }),
          ),
      ),
    );
    expect(await verifyAudit(db)).toMatchObject({ ok: true, entries: 20 });
  });

  // The command reads the configured database; the PostgreSQL test databases are per-test schemas.
  it.skipIf(dialect === 'postgres')('the verify command exits 1 and names the first broken entry', async () => {
    const { db, url } = await seeded(3);
    const run = promisify(execFile);
    const env = { ...process.env, DATABASE_FILE: url };
    const ok = await run('npx', ['tsx', 'server/audit/verify.ts'], { env });
    expect(ok.stdout).toContain('audit chain intact: 3 entries');
    await db.updateTable('audit_log').set({ subject: 'hearing:other' }).where('seq', '=', 2).execute();
    const failed = await run('npx', ['tsx', 'server/audit/verify.ts'], { env }).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 1, stdout: expect.stringContaining('BROKEN at entry 2') });
  });
});
