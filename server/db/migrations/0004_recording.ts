import type { Kysely } from 'kysely';

/**
 * Recording as evidence (issue: recording): every segment FFmpeg wrote, with its measured duration,
 * frame count, size and SHA-256, and every gap in a hearing's recording with its reason.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('recording_segments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hearing_id', 'text', (c) => c.notNull().references('hearings.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('producer_id', 'text', (c) => c.notNull())
    .addColumn('codec', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_ms', 'bigint', (c) => c.notNull())
    .addColumn('first_frame_ms', 'bigint')
    .addColumn('stopped_ms', 'bigint')
    .addColumn('stop_reason', 'text')
    .addColumn('duration_ms', 'bigint')
    .addColumn('frame_count', 'bigint')
    .addColumn('size_bytes', 'bigint')
    .addColumn('sha256', 'text')
    .execute();
  await db.schema
    .createIndex('recording_segments_hearing')
    .on('recording_segments')
    .columns(['hearing_id', 'started_ms'])
    .execute();
  await db.schema.createIndex('recording_segments_status').on('recording_segments').column('status').execute();

  await db.schema
    .createTable('recording_gaps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hearing_id', 'text', (c) => c.notNull().references('hearings.id'))
    .addColumn('participant_id', 'text')
    .addColumn('kind', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('started_ms', 'bigint', (c) => c.notNull())
    .addColumn('ended_ms', 'bigint')
    .execute();
  await db.schema
    .createIndex('recording_gaps_hearing')
    .on('recording_gaps')
    .columns(['hearing_id', 'started_ms'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('recording_gaps').execute();
  await db.schema.dropTable('recording_segments').execute();
}
