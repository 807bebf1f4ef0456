import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * One index for the bookings of a resource instead of two: the primary key becomes (resource_key,
 * start_ms, hearing_id), which is what the overlap check scans (a resource's bookings by start), and
 * the separate index bookings_resource_start goes. The old key (resource_key, hearing_id) held the
 * same rows in another order, so every booking, reschedule and cancellation wrote each of its rows
 * into both: four index entries more per booking, at four more random leaf pages (each one a full
 * page image in PostgreSQL's WAL after a checkpoint). A hearing has one time for all its bookings, so
 * a resource still holds one row per hearing.
 *
 * SQLite cannot change a table's primary key: the table is rebuilt, as WITHOUT ROWID, so that the key
 * is the table itself and the overlap check reads end_ms from the key's own b-tree.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create unique index bookings_resource_start_hearing on bookings (resource_key, start_ms, hearing_id)`.execute(
      db,
    );
    await sql`alter table bookings drop constraint bookings_pk`.execute(db);
    // The index becomes the key and takes the key's name.
    await sql`alter table bookings add constraint bookings_pk primary key using index bookings_resource_start_hearing`.execute(
      db,
    );
    await sql`drop index bookings_resource_start`.execute(db);
    return;
  }
  await rebuildSqliteBookings(db, ['resource_key', 'start_ms', 'hearing_id'], true);
}

/** SQLite: bookings copied into a new table with this primary key, under the old name. */
async function rebuildSqliteBookings(
  db: Kysely<unknown>,
  key: ('resource_key' | 'start_ms' | 'hearing_id')[],
  withoutRowid: boolean,
): Promise<void> {
  const table = db.schema
    .createTable('bookings_rebuilt')
    .addColumn('resource_key', 'text', (c) => c.notNull())
    .addColumn('hearing_id', 'text', (c) => c.notNull().references('hearings.id'))
    .addColumn('start_ms', 'bigint', (c) => c.notNull())
    .addColumn('end_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('bookings_pk', key);
  await (withoutRowid ? table.modifyEnd(sql`without rowid`) : table).execute();
  await sql`insert into bookings_rebuilt (resource_key, hearing_id, start_ms, end_ms)
    select resource_key, hearing_id, start_ms, end_ms from bookings`.execute(db);
  await db.schema.dropTable('bookings').execute();
  await db.schema.alterTable('bookings_rebuilt').renameTo('bookings').execute();
  await db.schema.createIndex('bookings_hearing').on('bookings').column('hearing_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create index bookings_resource_start on bookings (resource_key, start_ms)`.execute(db);
    await sql`create unique index bookings_resource_hearing on bookings (resource_key, hearing_id)`.execute(db);
    await sql`alter table bookings drop constraint bookings_pk`.execute(db);
    await sql`alter table bookings add constraint bookings_pk primary key using index bookings_resource_hearing`.execute(
      db,
    );
    return;
  }
  await rebuildSqliteBookings(db, ['resource_key', 'hearing_id'], false);
  await db.schema.createIndex('bookings_resource_start').on('bookings').columns(['resource_key', 'start_ms']).execute();
}
