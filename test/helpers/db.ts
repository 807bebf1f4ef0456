import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { type Database, type DialectName, openDatabase } from '../../server/db/Database.js';

/** The databases every data-layer test runs against. */
export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

/** PostgreSQL for tests: trust auth on loopback, database `test` (started by .ci/run). */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase extends Database {
  /** The URL the server would be given (with the schema for PostgreSQL). */
  readonly url: string;
  /** Closes and removes everything the test database holds. */
  destroy(): Promise<void>;
}

/** A fresh, migrated database: a temporary SQLite file, or a schema of its own in PostgreSQL. */
export async function openTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-court-db-'));
    const url = path.join(dir, 'test.sqlite');
    const database = await openDatabase({ url });
    return {
      ...database,
      url,
      async destroy() {
        await database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const database = await openDatabase({ url: TEST_POSTGRES_URL, pgSchema: schema });
  return {
    ...database,
    url: TEST_POSTGRES_URL,
    async destroy() {
      await database.close();
      const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
