/**
 * npm run audit:verify — checks the audit chain of the configured database (DATABASE_URL or
 * DATABASE_FILE), every signed transcript against the text it signed, and every closed recording
 * segment against its audit entry and its file (RECORDING_DIR). Exits 0 when everything holds, 1
 * naming the first broken entry and every broken signature or recording, 2 on other errors.
 */
import { databaseUrl, loadConfig } from '../config.js';
import { openDatabase } from '../db/Database.js';
import { verifyTranscripts } from '../hearing/Floor.js';
import { verifyRecordings } from '../recording/verifyRecordings.js';
import { verifyAudit } from './AuditLog.js';

try {
  const config = loadConfig();
  const database = await openDatabase({ url: databaseUrl(config) });
  try {
    const result = await verifyAudit(database.db);
    if (result.ok) {
      process.stdout.write(`audit chain intact: ${result.entries} entries, head ${result.headHash}\n`);
    } else {
      process.stdout.write(
        `audit chain BROKEN at entry ${result.firstBrokenSeq}: ${result.reason} (${result.entries} entries verified before it)\n`,
      );
      process.exitCode = 1;
    }
    const problems = await verifyTranscripts(database.db);
    for (const p of problems) {
      process.stdout.write(
        `transcript signature BROKEN: hearing ${p.hearingId}, participant ${p.participantId}, version ${p.version}: ${p.problem}\n`,
      );
    }
    if (problems.length > 0) process.exitCode = 1;
    else process.stdout.write('transcript signatures intact\n');
    const recordings = await verifyRecordings(database.db, config.RECORDING_DIR);
    for (const p of recordings) {
      process.stdout.write(`recording BROKEN: hearing ${p.hearingId}, segment ${p.segmentId}: ${p.problem}\n`);
    }
    if (recordings.length > 0) process.exitCode = 1;
    else process.stdout.write('recordings intact (metadata and files)\n');
  } finally {
    await database.close();
  }
} catch (error) {
  process.stderr.write(`audit verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
