import type { Kysely } from 'kysely';

/** Courts, sites, kiosks, accounts, hearings with participants and bookings, history, audit log. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('courts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('created_ms', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('county', 'text', (c) => c.notNull())
    .addColumn('address_code', 'text', (c) => c.notNull().unique())
    .addColumn('created_ms', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('kiosks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enrollment_code_hash', 'text', (c) => c.unique())
    .addColumn('enrollment_expires_ms', 'bigint')
    .addColumn('credential_hash', 'text', (c) => c.unique())
    .addColumn('enrolled_ms', 'bigint')
    .addColumn('revoked_ms', 'bigint')
    .addColumn('created_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kiosks_site').on('kiosks').column('site_id').execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('court_id', 'text', (c) => c.notNull().references('courts.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('ical_token', 'text', (c) => c.unique())
    .addColumn('disabled_ms', 'bigint')
    .addColumn('created_ms', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('hearings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_number', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('case_type', 'text', (c) => c.notNull())
    .addColumn('court_id', 'text', (c) => c.notNull().references('courts.id'))
    .addColumn('judge_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('clerk_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('start_ms', 'bigint', (c) => c.notNull())
    .addColumn('end_ms', 'bigint', (c) => c.notNull())
    .addColumn('is_public', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cancel_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_ms', 'bigint', (c) => c.notNull())
    .addColumn('updated_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hearings_court_start').on('hearings').columns(['court_id', 'start_ms']).execute();
  await db.schema.createIndex('hearings_judge_start').on('hearings').columns(['judge_id', 'start_ms']).execute();

  await db.schema
    .createTable('hearing_participants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hearing_id', 'text', (c) => c.notNull().references('hearings.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('id_tail', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.references('sites.id'))
    .addColumn('kiosk_id', 'text', (c) => c.references('kiosks.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('participants_hearing').on('hearing_participants').column('hearing_id').execute();
  await db.schema.createIndex('participants_site').on('hearing_participants').column('site_id').execute();

  await db.schema
    .createTable('bookings')
    .addColumn('resource_key', 'text', (c) => c.notNull())
    .addColumn('hearing_id', 'text', (c) => c.notNull().references('hearings.id'))
    .addColumn('start_ms', 'bigint', (c) => c.notNull())
    .addColumn('end_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('bookings_pk', ['resource_key', 'hearing_id'])
    .execute();
  await db.schema.createIndex('bookings_resource_start').on('bookings').columns(['resource_key', 'start_ms']).execute();
  await db.schema.createIndex('bookings_hearing').on('bookings').column('hearing_id').execute();

  await db.schema
    .createTable('hearing_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hearing_id', 'text', (c) => c.notNull().references('hearings.id'))
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('history_hearing').on('hearing_history').column('hearing_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('details_json', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  // The newest entry's seq and hash, updated with every append: deleting entries from the end of
  // the chain leaves the chain consistent but no longer reaching this head.
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'audit_head',
    'audit_log',
    'hearing_history',
    'bookings',
    'hearing_participants',
    'hearings',
    'users',
    'kiosks',
    'sites',
    'courts',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
