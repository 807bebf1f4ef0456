import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
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
 * Appends an entry to the audit chain inside the caller's transaction, so the entry exists exactly
 * when the change it records does. Appends are serialized so that every entry links to its
 * predecessor: on PostgreSQL by the row lock on the chain's head (SELECT … FOR UPDATE waits for the
 * transaction that holds it and then reads the head it committed), on SQLite by the single connection.
 * Two round trips on PostgreSQL: lock-and-read, then one statement writing the entry and the head.
 */
export async function appendAudit(
  trx: Transaction<DB>,
  dialect: DialectName,
  entry: AuditEntry,
  now: number = Date.now(),
): Promise<AuditRow> {
  let head = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  if (dialect === 'postgres') head = head.forUpdate();
  const current = await head.executeTakeFirst();
  if (!current) {
    // Created by the migrations and never deleted by the product: its absence is tampering.
    throw new Error('the audit chain has no head row (audit_head id 1); run the audit verify command');
  }
  const base = {
    seq: current.seq + 1,
    at_ms: now,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    details_json: JSON.stringify(entry.details),
    prev_hash: current.hash,
  };
  const row: AuditRow = { ...base, hash: entryHash(base) };
  const moveHead = { seq: row.seq, hash: row.hash };
  if (dialect === 'postgres') {
    await trx
      .with('entry', (db) => db.insertInto('audit_log').values(row))
      .updateTable('audit_head')
      .set(moveHead)
      .where('id', '=', 1)
      .execute();
  } else {
    // SQLite has no INSERT inside WITH, and its statements cost microseconds, not round trips.
    await trx.insertInto('audit_log').values(row).execute();
    await trx.updateTable('audit_head').set(moveHead).where('id', '=', 1).execute();
  }
  return row;
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
