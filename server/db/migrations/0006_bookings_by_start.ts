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
  await db.schema
    .createTable('bookings_by_start')
    .addColumn('resource_key', 'text', (c) => c.notNull())
    .addColumn('hearing_id', 'text', (c) => c.notNull().references('hearings.id'))
    .addColumn('start_ms', 'bigint', (c) => c.notNull())
    .addColumn('end_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('bookings_pk', ['resource_key', 'start_ms', 'hearing_id'])
    .modifyEnd(sql`without rowid`)
    .execute();
  await sql`insert into bookings_by_start (resource_key, hearing_id, start_ms, end_ms)
    select resource_key, hearing_id, start_ms, end_ms from bookings`.execute(db);
  await db.schema.dropTable('bookings').execute();
  await db.schema.alterTable('bookings_by_start').renameTo('bookings').execute();
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
  await db.schema
    .createTable('bookings_by_hearing')
    .addColumn('resource_key', 'text', (c) => c.notNull())
    .addColumn('hearing_id', 'text', (c) => c.notNull().references('hearings.id'))
    .addColumn('start_ms', 'bigint', (c) => c.notNull())
    .addColumn('end_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('bookings_pk', ['resource_key', 'hearing_id'])
    .execute();
  await sql`insert into bookings_by_hearing (resource_key, hearing_id, start_ms, end_ms)
    select resource_key, hearing_id, start_ms, end_ms from bookings`.execute(db);
  await db.schema.dropTable('bookings').execute();
  await db.schema.alterTable('bookings_by_hearing').renameTo('bookings').execute();
  await db.schema.createIndex('bookings_resource_start').on('bookings').columns(['resource_key', 'start_ms']).execute();
  await db.schema.createIndex('bookings_hearing').on('bookings').column('hearing_id').execute();
}
