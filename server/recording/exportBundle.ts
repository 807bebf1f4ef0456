/**
 * npm run bundle:export -- <hearingId> <out.zip> — writes the evidence bundle of a closed hearing
 * from the configured database (DATABASE_URL or DATABASE_FILE) and recording directory (RECORDING_DIR),
 * and records the export in the audit chain (`recording.bundle_exported`, with the manifest's
 * SHA-256). Exits 0 when written, 1 when the export is refused (unknown hearing, not closed, evidence
 * that does not hold), 2 on usage and other errors.
 */
import * as path from 'node:path';
import { appendAudit } from '../audit/AuditLog.js';
import { databaseUrl, loadConfig } from '../config.js';
import { openDatabase } from '../db/Database.js';
import { AppError } from '../errors.js';
import { writeBundle } from './bundle.js';
import { RECORDING_AUDIT } from './metadata.js';

const USAGE = 'usage: npm run bundle:export -- <hearingId> <out.zip>\n';

// npm runs scripts from the package's directory; a relative path means the caller's directory.
const callerDir = process.env.INIT_CWD ?? process.cwd();
const args = process.argv.slice(2);
const [hearingId, outArg] = args;

if (args.length !== 2 || !hearingId || !outArg) {
  process.stderr.write(USAGE);
  process.exitCode = 2;
} else {
  const out = path.resolve(callerDir, outArg);
  try {
    const config = loadConfig();
    const database = await openDatabase({ url: databaseUrl(config) });
    try {
      const result = await writeBundle({ db: database.db, recordingDir: config.RECORDING_DIR, hearingId, out });
      await database.db.transaction().execute((trx) =>
        appendAudit(trx, database.dialect, {
          actor: 'system',
          action: RECORDING_AUDIT.bundleExported,
          subject: `hearing:${hearingId}`,
          details: { manifestSha256: result.manifestSha256, files: result.files },
        }),
      );
      process.stdout.write(
        `bundle written: ${out}: ${result.files} files, ${result.bytes} bytes, manifest SHA-256 ${result.manifestSha256}\n`,
      );
    } finally {
      await database.close();
    }
  } catch (error) {
    if (error instanceof AppError) {
      process.stderr.write(`bundle export refused (${error.code}): ${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`bundle export failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    }
  }
}
