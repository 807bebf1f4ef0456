import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  type RawBuilder,
  type SqliteDatabase,
  SqliteDialect,
  sql,
  type Transaction,
} from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import pg from 'pg';
import * as initial from './migrations/0001_initial.js';
import * as auditHeadRow from './migrations/0002_audit_head_row.js';
import * as hearingFloor from './migrations/0003_hearing_floor.js';
import * as recording from './migrations/0004_recording.js';
import * as bookingFunction from './migrations/0005_booking_function.js';
import * as bookingsByStart from './migrations/0006_bookings_by_start.js';
import type { DB } from './schema.js';

const require = createRequire(import.meta.url);

/** Versioned migrations, applied in name order. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_audit_head_row': auditHeadRow,
  '0003_hearing_floor': hearingFloor,
  '0004_recording': recording,
  '0005_booking_function': bookingFunction,
  '0006_bookings_by_start': bookingsByStart,
};

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  /** postgres://… for PostgreSQL; otherwise the SQLite file (created on first start). */
  url: string;
  /** PostgreSQL schema to use (tests give each run its own); created if missing. */
  pgSchema?: string;
}

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: DialectName;
  close(): Promise<void>;
}

// int8 (bigint) columns hold millisecond timestamps, far below 2^53: read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** Opens the database and brings its schema up to date. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const postgres = isPostgresUrl(options.url);
  const database = postgres ? await openPostgres(options) : openSqlite(options.url);
  try {
    await migrate(database.db, postgres ? (options.pgSchema ?? 'public') : undefined);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/**
 * Checkpoints the WAL from a worker thread with its own connection, so that no request pays for it:
 * with SQLite's automatic checkpoint, the commit that crosses the threshold copies the WAL into the
 * database and fsyncs inside the request (16 ms p99 per booking in bench:booking, 2.3 ms without).
 * PASSIVE never blocks readers or writers; the WAL is reused from its start after a full pass.
 */
const CHECKPOINT_WORKER = `
  const { workerData, parentPort } = require('node:worker_threads');
  const SQLite = require(workerData.driver);
  const db = new SQLite(workerData.file);
  db.pragma('busy_timeout = 1000');
  const timer = setInterval(() => {
    try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next pass catches up */ }
  }, workerData.intervalMs);
  parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
`;
const CHECKPOINT_INTERVAL_MS = 1000;

function openSqlite(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  let checkpointer: Worker | undefined;
  if (file !== ':memory:') {
    sqlite.pragma('wal_autocheckpoint = 0');
    checkpointer = new Worker(CHECKPOINT_WORKER, {
      eval: true,
      workerData: {
        file: path.resolve(file),
        driver: require.resolve('better-sqlite3'),
        intervalMs: CHECKPOINT_INTERVAL_MS,
      },
    });
    checkpointer.unref();
  }
  // One connection; Kysely runs its transactions one after the other, which is what makes the
  // booking overlap check safe on SQLite (see lockResources).
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: keepStatements(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    async close() {
      if (checkpointer) {
        const exited = new Promise((resolve) => checkpointer?.once('exit', resolve));
        checkpointer.ref(); // keep the process alive until the worker has closed its connection
        checkpointer.postMessage('stop');
        await exited;
      }
      await db.destroy();
    },
  };
}

/** Distinct statements a connection keeps prepared; beyond this, statements are parsed each time. */
const PREPARED_PER_CONNECTION = 500;

/**
 * The SQLite connection as Kysely sees it, with its prepared statements kept by their text: Kysely
 * prepares every query anew, so each one was parsed and planned again, and left a native statement
 * behind for the garbage collector, whose scavenges then spent most of their pause (2 of 3–5 ms in
 * bench:booking, ten statements a booking) on those statements' weak handles. A kept statement that
 * is still being read (a streamed query) is not shared: that query gets a statement of its own.
 */
function keepStatements(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text) {
      const kept = statements.get(text);
      if (kept && !kept.busy) return kept;
      const statement = sqlite.prepare(text);
      if (!kept && statements.size < PREPARED_PER_CONNECTION) statements.set(text, statement);
      return statement;
    },
  };
}

async function openPostgres(options: DatabaseOptions): Promise<Database> {
  const schema = options.pgSchema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new TypeError(`invalid PostgreSQL schema name ${JSON.stringify(schema)}`);
  }
  if (schema) {
    const admin = new pg.Client({ connectionString: options.url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('connect', prepareStatements);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/**
 * Makes a connection run every parameterized statement as a named prepared statement (the name is a
 * hash of its text), so PostgreSQL parses and plans it once per connection rather than at each call:
 * a booking's lookups took 0.3–0.4 ms each unprepared and 0.15 ms prepared on this machine. Kysely
 * builds the same text for the same query shape, so the set of statements stays small.
 */
function prepareStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const prepared = new Set<string>();
  // biome-ignore lint/suspicious/noExplicitAny: the overloads of pg's query cannot be restated here
  (client as any).query = (...args: unknown[]): unknown => {
    const [text, values] = args;
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || args.length !== 2) {
      return query(...args);
    }
    const name = statementName(text);
    if (!prepared.has(name)) {
      if (prepared.size >= PREPARED_PER_CONNECTION) return query(text, values);
      prepared.add(name);
    }
    return query({ name, text, values });
  };
}

/**
 * Statement names by text, for every connection: hashing the text at each query made a native hash
 * object per query, whose weak handle the next scavenge had to visit (0.5 ms of a 1 ms pause in a
 * loop of queries).
 */
const statementNames = new Map<string, string>();

/** A statement's name: a hash of its text. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `k${createHash('sha1').update(text).digest('hex')}`;
    if (statementNames.size < PREPARED_PER_CONNECTION) statementNames.set(text, name);
  }
  return name;
}

/** The migrator of this schema's migrations (`pgSchema`: the PostgreSQL schema they are kept in). */
export function schemaMigrator(db: Kysely<DB>, pgSchema: string | undefined): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    // Kysely looks for its bookkeeping tables in any schema unless told which one.
    ...(pgSchema ? { migrationTableSchema: pgSchema } : {}),
  });
}

async function migrate(db: Kysely<DB>, pgSchema: string | undefined): Promise<void> {
  const { error, results } = await schemaMigrator(db, pgSchema).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

/**
 * Serializes transactions that touch the same resources (a judge's, clerk's or site's bookings) until
 * the transaction ends: PostgreSQL transaction-scoped advisory locks, taken in a fixed order so two
 * bookings never deadlock. On SQLite every transaction already runs alone on the one connection.
 */
export async function lockResources(trx: Transaction<DB>, dialect: DialectName, keys: string[]): Promise<void> {
  if (dialect === 'sqlite' || keys.length === 0) return;
  await sql`select ${lockedResources(dialect, keys)}`.execute(trx);
}

/** Resource keys in the order every transaction takes their locks: distinct, sorted. */
export function lockOrder(keys: string[]): string[] {
  return [...new Set(keys)].sort();
}

/**
 * The same locks as lockResources, as a condition (always true) to add to a query's WHERE so that they
 * are taken in that query's round trip. PostgreSQL evaluates the uncorrelated subquery once, before the
 * query returns its first row; so when rows come back, the locks are held. The query's own snapshot is
 * taken before the locks: only statements after it see what the transactions waited for committed.
 */
export function lockedResources(dialect: DialectName, keys: string[]): RawBuilder<boolean> {
  const sorted = lockOrder(keys);
  if (dialect === 'sqlite' || sorted.length === 0) return sql<boolean>`true`;
  // unnest … with ordinality hands the keys over in the sorted order; the count keeps the volatile
  // lock calls from being optimized away.
  return sql<boolean>`((select count(*) from (select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(${sorted}::text[]) with ordinality as t(k, n) order by n) as locks) >= 0)`;
}
