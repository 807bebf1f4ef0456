import { type Kysely, sql } from 'kysely';

/**
 * The audit chain's head row exists from the start (entry 0, the genesis hash), so that an append can
 * lock it with SELECT … FOR UPDATE and read the newest hash in the same round trip.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`insert into audit_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)}) on conflict (id) do nothing`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from audit_head where id = 1 and seq = 0`.execute(db);
}
