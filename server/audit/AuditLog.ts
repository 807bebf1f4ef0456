import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DialectName } from '../db/Database.js';
import type { AuditRow, DB } from '../db/schema.js';

/** Hash of the (absent) entry before the first one. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  /** Who: `user:<id>`, `kiosk:<id>`, `system`, or `anonymous` (e.g. a failed login). */
  actor: string;
  /** What, as a stable dotted name: `hearing.booked`, `auth.login`, `kiosk.enrolled`, … */
  action: string;
  /** What it was done to: `hearing:<id>`, `user:<id>`, … */
  subject: string;
  details: Record<string, unknown>;
}

/** The hash of an entry: SHA-256 over its fields and the previous entry's hash, in a fixed order. */
export function entryHash(row: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([
    row.seq,
    row.at_ms,
    row.actor,
    row.action,
    row.subject,
    row.details_json,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * PostgreSQL: the append of an entry as the first common table expressions of a statement, so that
 * a caller can add its own writes to it and have the change and its audit entry cost one round trip.
 * End the statement with `.selectFrom('audit_entry')` and pass what it returns to appendedEntry.
 *
 * Appends are serialized by the row lock on the chain's head: `audit_prev` locks it (SELECT … FOR
 * UPDATE waits for the transaction that holds it, then reads the head that transaction committed), and
 * keeps other appends waiting until this transaction ends; so every entry links to its predecessor.
 * Taken by the statement that writes the entry, the lock is held from there to the commit only. The
 * server completes the entry: its seq and prev_hash come from the head, and its hash is entryHash's
 * SHA-256 over the same canonical text, JSON.stringify([seq, at_ms, actor, action, subject,
 * details_json, prev_hash]), built around the two values only the server has (digits and hex digits,
 * which JSON writes as they are).
 */
export function withAuditAppend(trx: Transaction<DB>, entry: AuditEntry, now: number) {
  const details_json = JSON.stringify(entry.details);
  // The canonical text between `[seq,` and `,"prev_hash"]`.
  const middle = JSON.stringify([now, entry.actor, entry.action, entry.subject, details_json]).slice(1, -1);
  return trx
    .with('audit_prev', (db) => db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate())
    .with('audit_entry', (db) =>
      db
        .insertInto('audit_log')
        .columns(['seq', 'at_ms', 'actor', 'action', 'subject', 'details_json', 'prev_hash', 'hash'])
        .expression(
          db
            .selectFrom('audit_prev as prev')
            .select((eb) => [
              sql<number>`prev.seq + 1`.as('seq'),
              eb.val(now).as('at_ms'),
              eb.val(entry.actor).as('actor'),
              eb.val(entry.action).as('action'),
              eb.val(entry.subject).as('subject'),
              eb.val(details_json).as('details_json'),
              'prev.hash as prev_hash',
              sql<string>`encode(sha256(convert_to('[' || (prev.seq + 1)::text || ',' || ${middle}::text || ',"' || prev.hash || '"]', 'UTF8')), 'hex')`.as(
                'hash',
              ),
            ]),
        )
        .returningAll(),
    )
    .with('audit_head_moved', (db) =>
      db
        .updateTable('audit_head')
        .from('audit_entry')
        .set((eb) => ({ seq: eb.ref('audit_entry.seq'), hash: eb.ref('audit_entry.hash') }))
        .where('audit_head.id', '=', 1),
    );
}

/** The entry a withAuditAppend statement returned; none means the chain has no head row. */
export function appendedEntry<T>(row: T | undefined): T {
  if (row === undefined) throw missingHead();
  return row;
}

/**
 * Appends an entry to the audit chain inside the caller's transaction, so the entry exists exactly
 * when the change it records does. One round trip on PostgreSQL (see withAuditAppend); on SQLite, where
 * the single connection serializes appends and statements cost microseconds, three statements.
 */
export async function appendAudit(
  trx: Transaction<DB>,
  dialect: DialectName,
  entry: AuditEntry,
  now: number = Date.now(),
): Promise<AuditRow> {
  if (dialect === 'postgres') {
    return appendedEntry(
      await withAuditAppend(trx, entry, now).selectFrom('audit_entry').selectAll().executeTakeFirst(),
    );
  }
  const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (!head) throw missingHead();
  const base = {
    seq: head.seq + 1,
    at_ms: now,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    details_json: JSON.stringify(entry.details),
    prev_hash: head.hash,
  };
  const row: AuditRow = { ...base, hash: entryHash(base) };
  await trx.insertInto('audit_log').values(row).execute();
  await trx.updateTable('audit_head').set({ seq: row.seq, hash: row.hash }).where('id', '=', 1).execute();
  return row;
}

/** Created by the migrations and never deleted by the product: the head row's absence is tampering. */
function missingHead(): Error {
  return new Error('the audit chain has no head row (audit_head id 1); run the audit verify command');
}

export type VerifyResult =
  | { ok: true; entries: number; headHash: string }
  | { ok: false; entries: number; firstBrokenSeq: number; reason: string };

const PAGE = 1000;

/**
 * Walks the whole chain in order and reports the first entry that does not hold: a changed field
 * (its hash no longer matches), a removed entry (a gap in seq, or a broken link to the previous
 * hash), or entries removed from the end (the chain stops short of the recorded head).
 */
export async function verifyAudit(db: Kysely<DB>): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return { ok: false, entries, firstBrokenSeq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
      }
      if (row.prev_hash !== prevHash) {
        return { ok: false, entries, firstBrokenSeq: row.seq, reason: 'does not link to the entry before it' };
      }
      if (entryHash(row) !== row.hash) {
        return { ok: false, entries, firstBrokenSeq: row.seq, reason: 'its content was changed after it was written' };
      }
      prevHash = row.hash;
      expectedSeq++;
      entries++;
    }
    if (rows.length < PAGE) break;
  }
  const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst();
  const headSeq = head?.seq ?? 0;
  if (headSeq !== entries || (head && head.hash !== prevHash)) {
    return {
      ok: false,
      entries,
      firstBrokenSeq: Math.min(entries + 1, headSeq || entries + 1),
      reason: `the chain ends at entry ${entries} but the recorded head is entry ${headSeq}`,
    };
  }
  return { ok: true, entries, headHash: prevHash };
}
