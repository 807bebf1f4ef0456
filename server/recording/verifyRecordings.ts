import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { hashFile } from './ffmpeg.js';
import { RECORDING_AUDIT, segmentMismatch } from './metadata.js';

export interface RecordingProblem {
  segmentId: string;
  hearingId: string;
  problem: string;
}

/**
 * Checks every closed recording segment against the audit entry that recorded its closing (or its
 * deletion at the end of the retention period), and its file against the SHA-256 and size in its row:
 * an edited metadata row, an edited or missing file all show. Segments still being recorded are
 * skipped.
 */
export async function verifyRecordings(db: Kysely<DB>, recordingDir: string): Promise<RecordingProblem[]> {
  const rows = await db.selectFrom('recording_segments').selectAll().where('status', '<>', 'recording').execute();
  if (rows.length === 0) return [];
  const entries = await db
    .selectFrom('audit_log')
    .select(['seq', 'details_json'])
    .where('action', 'in', [RECORDING_AUDIT.segmentClosed, RECORDING_AUDIT.segmentPurged])
    .orderBy('seq')
    .execute();
  const lastEntry = new Map<string, Record<string, unknown>>();
  for (const entry of entries) {
    const details = JSON.parse(entry.details_json) as Record<string, unknown>;
    if (typeof details.id === 'string') lastEntry.set(details.id, details);
  }
  const problems: RecordingProblem[] = [];
  for (const row of rows) {
    const report = (problem: string) => problems.push({ segmentId: row.id, hearingId: row.hearing_id, problem });
    const recorded = lastEntry.get(row.id);
    if (!recorded) {
      report('no audit entry records its closing');
      continue;
    }
    const mismatch = segmentMismatch(row, recorded);
    if (mismatch) {
      report(`metadata differs from its audit entry: ${mismatch}`);
      continue;
    }
    if (row.status === 'purged' || row.sha256 === null) continue;
    const file = path.join(recordingDir, row.file);
    if (!fs.existsSync(file)) {
      report(`file ${row.file} is missing`);
      continue;
    }
    const { sha256, size } = await hashFile(file);
    if (sha256 !== row.sha256 || size !== row.size_bytes) {
      report(
        `file ${row.file} changed: SHA-256 ${sha256} (${size} bytes), recorded ${row.sha256} (${row.size_bytes} bytes)`,
      );
    }
  }
  return problems;
}
