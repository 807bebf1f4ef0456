import type { Kysely } from 'kysely';

/**
 * The live hearing (issue: the hearing itself): the site operator's PIN, every participant's state in
 * a hearing, every state change of a hearing or a participant, the transcript's versions and
 * signatures, and the alerts of the clerk's console.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sites').addColumn('operator_pin_hash', 'text').execute();
  await db.schema.alterTable('hearings').addColumn('spotlight_participant_id', 'text').execute();

  await db.schema
    .createTable('floor_participants')
    .addColumn('hearing_id', 'text', (c) => c.notNull().references('hearings.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('resume_to', 'text')
    .addColumn('muted', 'integer', (c) => c.notNull())
    .addColumn('hand_raised', 'integer', (c) => c.notNull())
    .addColumn('help_requested', 'integer', (c) => c.notNull())
    .addColumn('checked_in_kiosk_id', 'text')
    .addColumn('self_test_json', 'text')
    .addColumn('updated_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('floor_participants_pk', ['hearing_id', 'participant_id'])
    .execute();

  await db.schema
    .createTable('floor_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hearing_id', 'text', (c) => c.notNull().references('hearings.id'))
    .addColumn('participant_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text')
    .addColumn('reason', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('floor_events_hearing').on('floor_events').columns(['hearing_id', 'at_ms']).execute();

  await db.schema
    .createTable('transcript_versions')
    .addColumn('hearing_id', 'text', (c) => c.notNull().references('hearings.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('saved_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('transcript_versions_pk', ['hearing_id', 'version'])
    .execute();

  await db.schema
    .createTable('transcript_signatures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hearing_id', 'text', (c) => c.notNull().references('hearings.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('text_sha256', 'text', (c) => c.notNull())
    .addColumn('signature_png', 'text', (c) => c.notNull())
    .addColumn('kiosk_id', 'text')
    .addColumn('signed_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('transcript_signatures_hearing')
    .on('transcript_signatures')
    .columns(['hearing_id', 'participant_id'])
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hearing_id', 'text', (c) => c.notNull().references('hearings.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('raised_ms', 'bigint', (c) => c.notNull())
    .addColumn('acked_ms', 'bigint')
    .addColumn('acked_by', 'text')
    .execute();
  await db.schema.createIndex('alerts_hearing').on('alerts').columns(['hearing_id', 'raised_ms']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'alerts',
    'transcript_signatures',
    'transcript_versions',
    'floor_events',
    'floor_participants',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('hearings').dropColumn('spotlight_participant_id').execute();
  await db.schema.alterTable('sites').dropColumn('operator_pin_hash').execute();
}
