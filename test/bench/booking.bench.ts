/**
 * Booking benchmark: how long a clerk's booking takes, conflict check included, once the database
 * holds years of hearings. Prints a table (it is not a test: slow numbers do not fail it).
 *
 * For each database (a temporary SQLite file; a PostgreSQL schema of its own, dropped at the end):
 * - fill: HEARINGS hearings across JUDGES judges (two clerks each, 10 judges per court) and SITES sites
 *   (one kiosk each), with their participants and bookings, written in bulk outside the scheduler:
 *   four one-hour hearings a day per judge (09:00, 10:30, 14:00, 15:30 Asia/Shanghai) for ~3.4 years,
 *   the plaintiff and, in three hearings of four, the defendant at a site; one hearing in 50 cancelled.
 * - measure: MEASURED calls of HearingScheduler.book() after WARMUP uncounted ones, one at a time,
 *   alternating a request that clashes with the judge's existing hearing (CONFLICT) and one in the
 *   judge's free lunch hour at two random sites (booked, unless a site is taken). Latency is the whole
 *   call: validation, locks, overlap query, inserts, history and audit entry, commit. The table also
 *   gives the statements each call sent.
 * - for comparison, not the product: on PostgreSQL the floor, one statement that does nothing but
 *   take a transaction id, outside an explicit transaction as the booking's scheduler_book call is
 *   (what this machine's round trip and flushed commit cost alone).
 * - also not in the table's numbers: on PostgreSQL, where the time of SPLIT_CALLS more bookings goes:
 *   the server's part up to scheduler_book's return, the rest of the round trip (the commit with its
 *   flush, the network, the driver) and Node's part (measureSplit).
 *
 * Run: npm run bench:booking   (BENCH_DB=sqlite or BENCH_DB=postgres runs one; BENCH_HEARINGS=… scales)
 *
 * Filling takes minutes. With BENCH_KEEP=1 the filled database is kept instead of dropped, and the next
 * run with BENCH_KEEP=1 (and the same BENCH_HEARINGS) measures it again after removing what earlier runs
 * booked and resetting the audit chain: the SQLite file shared-court-bench-booking-<HEARINGS>.sqlite in
 * the temporary directory, the PostgreSQL schema bench_booking_<HEARINGS> of the test database. The
 * migrations run on reuse as on any start. Remove them when done:
 *   rm "${TMPDIR:-/tmp}"/shared-court-bench-booking-*.sqlite*
 *   psql postgres://postgres@127.0.0.1:5432/test -c 'drop schema bench_booking_1000000 cascade'
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { type Kysely, RawNode, sql } from 'kysely';
import { z } from 'zod';
import { GENESIS_HASH } from '../../server/audit/AuditLog.js';
import { type DialectName, openDatabase } from '../../server/db/Database.js';
import type { DB } from '../../server/db/schema.js';
import { AppError } from '../../server/errors.js';
import { HearingScheduler } from '../../server/scheduling/HearingScheduler.js';
import type { BookHearingInput } from '../../shared/scheduling.js';
import { openTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from '../helpers/db.js';

const HEARINGS = Number(process.env.BENCH_HEARINGS ?? 1_000_000);
const JUDGES = 200;
const JUDGES_PER_COURT = 10;
const SITES = 5_000;
const MEASURED = 5_000;
/**
 * Uncounted calls first: a new process's JIT is still compiling the booking's code paths (the
 * scheduler, zod, Kysely, the pg driver) for its first few thousand calls, on background threads that
 * take a core from the database on a 2-core machine (seen with --trace-opt on PostgreSQL: 189 functions
 * optimized in the first 1,000 calls, 63 and 52 in the next two, 11 and 6 in the two after). A running
 * server has long compiled them: every route goes through the same driver, query builder and validation.
 */
const WARMUP = 2_000;
const BUFFER_MINUTES = 10;
/** Hearings per bulk statement (PostgreSQL) or per transaction (SQLite). */
const BATCH = 20_000;
/** The measured calls of one database stop here even when MEASURED is not reached. */
const MEASURE_BUDGET_MS = 5 * 60_000;
/** PostgreSQL: calls after the measured ones whose time is split into server, round trip and Node. */
const SPLIT_CALLS = 3_000;
const TARGET_P99_MS = 5;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2025-01-01 00:00 Asia/Shanghai. */
const FIRST_DAY = Date.parse('2025-01-01T00:00:00+08:00');
/** Hearing start times within a day, as offsets from midnight (Asia/Shanghai). */
const SLOTS = [9 * HOUR, 10.5 * HOUR, 14 * HOUR, 15.5 * HOUR];
const LUNCH = 12 * HOUR;
const CREATED_MS = Date.parse('2024-12-01T00:00:00+08:00');

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

interface World {
  courts: string[];
  judges: string[];
  /** Two per judge: clerks[2j] and clerks[2j + 1]. */
  clerks: string[];
  sites: string[];
  kiosks: string[];
}

/** The fixed layout of hearing i: who, when, where. */
function hearingPlan(i: number, world: World) {
  const judge = i % JUDGES;
  const slot = Math.floor(i / JUDGES);
  const day = Math.floor(slot / SLOTS.length);
  const start = FIRST_DAY + day * DAY + (SLOTS[slot % SLOTS.length] ?? 0);
  // 2 × JUDGES distinct sites per slot, shifted each slot: no kiosk is booked twice at once.
  const plaintiffSite = (slot * 2 * JUDGES + 2 * judge) % SITES;
  const defendantSite = i % 4 === 3 ? null : (plaintiffSite + 1) % SITES;
  return {
    id: randomUUID(),
    courtId: world.courts[Math.floor(judge / JUDGES_PER_COURT)] ?? '',
    judgeId: world.judges[judge] ?? '',
    clerkId: world.clerks[2 * judge + (slot % 2)] ?? '',
    start,
    end: start + HOUR,
    cancelled: i % 50 === 7,
    plaintiffSite,
    defendantSite,
    caseNumber: `（${2025 + Math.floor(day / 365)}）浙${String(185 + Math.floor(judge / JUDGES_PER_COURT)).padStart(4, '0')}民初${i + 1}号`,
  };
}

interface Rows {
  hearings: unknown[][];
  participants: unknown[][];
  bookings: unknown[][];
}

/** The rows of hearings [from, to), as arrays in column order. */
function rowsFor(from: number, to: number, world: World): Rows {
  const rows: Rows = { hearings: [], participants: [], bookings: [] };
  for (let i = from; i < to; i++) {
    const h = hearingPlan(i, world);
    rows.hearings.push([
      h.id,
      h.caseNumber,
      '买卖合同纠纷',
      'civil',
      h.courtId,
      h.judgeId,
      h.clerkId,
      h.start,
      h.end,
      1,
      h.cancelled ? 'cancelled' : 'scheduled',
      h.cancelled ? '当事人撤诉' : null,
      h.cancelled ? 2 : 1,
      CREATED_MS,
      CREATED_MS,
    ]);
    const parties: [string, number | null][] = [
      ['plaintiff', h.plaintiffSite],
      ['defendant', h.defendantSite],
    ];
    parties.forEach(([role, site], position) => {
      const kiosk = site === null ? null : (world.kiosks[site] ?? null);
      rows.participants.push([
        randomUUID(),
        h.id,
        role,
        `${role}-${i}`,
        '1234',
        site === null ? null : (world.sites[site] ?? null),
        kiosk,
        position,
      ]);
      if (kiosk !== null && !h.cancelled) rows.bookings.push([`kiosk:${kiosk}`, h.id, h.start, h.end]);
    });
    if (!h.cancelled) {
      rows.bookings.push([`judge:${h.judgeId}`, h.id, h.start, h.end]);
      rows.bookings.push([`clerk:${h.clerkId}`, h.id, h.start, h.end]);
    }
  }
  return rows;
}

const HEARING_COLUMNS = [
  'id',
  'case_number',
  'title',
  'case_type',
  'court_id',
  'judge_id',
  'clerk_id',
  'start_ms',
  'end_ms',
  'is_public',
  'status',
  'cancel_reason',
  'version',
  'created_ms',
  'updated_ms',
] as const;
const HEARING_TYPES = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'int8',
  'int8',
  'int4',
  'text',
  'text',
  'int4',
  'int8',
  'int8',
];
const PARTICIPANT_COLUMNS = ['id', 'hearing_id', 'role', 'name', 'id_tail', 'site_id', 'kiosk_id', 'position'] as const;
const PARTICIPANT_TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'int4'];
const BOOKING_COLUMNS = ['resource_key', 'hearing_id', 'start_ms', 'end_ms'] as const;
const BOOKING_TYPES = ['text', 'text', 'int8', 'int8'];

/** Courts, judges, clerks, sites and kiosks, through Kysely (a few thousand rows). */
async function insertWorld(db: Kysely<DB>): Promise<World> {
  const world: World = { courts: [], judges: [], clerks: [], sites: [], kiosks: [] };
  for (let c = 0; c < JUDGES / JUDGES_PER_COURT; c++) {
    const id = randomUUID();
    world.courts.push(id);
    await db
      .insertInto('courts')
      .values({ id, name: `法院${c}`, region_code: String(330100 + c), created_ms: CREATED_MS })
      .execute();
  }
  const users = [];
  for (let j = 0; j < JUDGES; j++) {
    const court_id = world.courts[Math.floor(j / JUDGES_PER_COURT)] ?? '';
    const user = (role: 'judge' | 'clerk', n: number) => ({
      id: randomUUID(),
      court_id,
      role,
      username: `${role}-${n}`,
      display_name: `${role === 'judge' ? '法官' : '书记员'}${n}`,
      password_hash: 'bench',
      ical_token: null,
      disabled_ms: null,
      created_ms: CREATED_MS,
    });
    const judge = user('judge', j);
    const clerks = [user('clerk', 2 * j), user('clerk', 2 * j + 1)];
    world.judges.push(judge.id);
    world.clerks.push(...clerks.map((c) => c.id));
    users.push(judge, ...clerks);
  }
  await db.insertInto('users').values(users).execute();
  for (let from = 0; from < SITES; from += 1_000) {
    const sites = [];
    const kiosks = [];
    for (let s = from; s < Math.min(SITES, from + 1_000); s++) {
      const site = {
        id: randomUUID(),
        name: `村${s}共享法庭`,
        county: `县${s % 90}`,
        address_code: `3301${String(s).padStart(8, '0')}`,
        created_ms: CREATED_MS,
      };
      const kiosk = {
        id: randomUUID(),
        site_id: site.id,
        name: '一号终端',
        enrollment_code_hash: null,
        enrollment_expires_ms: null,
        credential_hash: null,
        enrolled_ms: CREATED_MS,
        revoked_ms: null,
        created_ms: CREATED_MS,
      };
      sites.push(site);
      kiosks.push(kiosk);
      world.sites.push(site.id);
      world.kiosks.push(kiosk.id);
    }
    await db.insertInto('sites').values(sites).execute();
    await db.insertInto('kiosks').values(kiosks).execute();
  }
  return world;
}

function progress(dialect: DialectName, done: number, startedMs: number): void {
  if (done % 100_000 !== 0 && done !== HEARINGS) return;
  const seconds = (performance.now() - startedMs) / 1000;
  out(
    `  ${dialect}: ${done.toLocaleString('en')} / ${HEARINGS.toLocaleString('en')} hearings (${seconds.toFixed(1)} s)`,
  );
}

const IndexListSchema = z.array(z.object({ name: z.string(), definition: z.string() }));

/** SQLite: prepared statements in big transactions on a second connection to the same file. */
function fillSqlite(file: string, world: World): void {
  const sqlite = new SQLite(file);
  try {
    sqlite.pragma('journal_mode = WAL');
    // Bulk load only: a crash would lose the benchmark's data, nothing else.
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('cache_size = -512000');
    const insert = (table: string, columns: readonly string[]) =>
      sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
    const hearing = insert('hearings', HEARING_COLUMNS);
    const participant = insert('hearing_participants', PARTICIPANT_COLUMNS);
    const booking = insert('bookings', BOOKING_COLUMNS);
    // Secondary indexes are dropped during the load and rebuilt after it, from their own definitions.
    const indexes = IndexListSchema.parse(
      sqlite
        .prepare(
          `select name, sql as definition from sqlite_master
           where type = 'index' and sql is not null and tbl_name in ('hearings', 'hearing_participants', 'bookings')`,
        )
        .all(),
    );
    for (const index of indexes) sqlite.exec(`drop index "${index.name}"`);
    const writeBatch = sqlite.transaction((rows: Rows) => {
      for (const row of rows.hearings) hearing.run(row);
      for (const row of rows.participants) participant.run(row);
      for (const row of rows.bookings) booking.run(row);
    });
    const started = performance.now();
    for (let from = 0; from < HEARINGS; from += BATCH) {
      const to = Math.min(HEARINGS, from + BATCH);
      writeBatch(rowsFor(from, to, world));
      progress('sqlite', to, started);
    }
    const indexing = performance.now();
    for (const index of indexes) sqlite.exec(index.definition);
    out(`  sqlite: ${indexes.length} indexes rebuilt in ${((performance.now() - indexing) / 1000).toFixed(1)} s`);
    // Fold the WAL into the database file, as the running server's checkpoints eventually do.
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    sqlite.close();
  }
}

/** PostgreSQL: one INSERT … SELECT FROM unnest(arrays) per table and batch (no COPY). */
async function fillPostgres(db: Kysely<DB>, world: World): Promise<void> {
  // Secondary indexes are dropped during the load and rebuilt after it, from their own definitions;
  // the primary keys stay (the foreign keys need them).
  const found = await sql<unknown>`select indexname as name, indexdef as definition from pg_indexes
    where schemaname = current_schema() and tablename in ('hearings', 'hearing_participants', 'bookings')
      and indexname not in (select conname from pg_constraint where connamespace = current_schema()::regnamespace)`.execute(
    db,
  );
  const indexes = IndexListSchema.parse(found.rows);
  for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(db);
  // One connection with the foreign-key triggers off (as pg_restore does): the generated rows are
  // consistent, and checking millions of references one by one would double the load time.
  await db.connection().execute(async (connection) => {
    const insert = async (table: string, columns: readonly string[], types: string[], rows: unknown[][]) => {
      const arrays = columns.map((_, c) => rows.map((row) => row[c]));
      const unnest = sql.join(arrays.map((values, c) => sql`${values}::${sql.raw(types[c] ?? 'text')}[]`));
      const names = sql.join(columns.map((c) => sql.ref(c)));
      await sql`insert into ${sql.table(table)} (${names}) select * from unnest(${unnest})`.execute(connection);
    };
    await sql`set session_replication_role = replica`.execute(connection);
    try {
      const started = performance.now();
      for (let from = 0; from < HEARINGS; from += BATCH) {
        const to = Math.min(HEARINGS, from + BATCH);
        const rows = rowsFor(from, to, world);
        await insert('hearings', HEARING_COLUMNS, HEARING_TYPES, rows.hearings);
        await insert('hearing_participants', PARTICIPANT_COLUMNS, PARTICIPANT_TYPES, rows.participants);
        await insert('bookings', BOOKING_COLUMNS, BOOKING_TYPES, rows.bookings);
        progress('postgres', to, started);
      }
    } finally {
      await sql`reset session_replication_role`.execute(connection);
    }
  });
  // Measure the steady state, not the minutes after a bulk load: autovacuum would soon set the hint
  // bits and visibility map and gather the planner's statistics, and the checkpointer would write
  // out the load, competing with the measured bookings for the disk.
  const settled = performance.now();
  for (const index of indexes) await sql.raw(index.definition).execute(db);
  await sql`vacuum analyze`.execute(db);
  await sql`checkpoint`.execute(db);
  out(
    `  postgres: ${indexes.length} indexes rebuilt, vacuum analyze and checkpoint: ${((performance.now() - settled) / 1000).toFixed(1)} s`,
  );
}

/** A deterministic generator, so every run books the same requests. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const iso = (ms: number): string => `${new Date(ms + 8 * HOUR).toISOString().slice(0, 19)}+08:00`;

/** Request k: even k clash with the judge's 10:30 hearing, odd k take the lunch hour at two sites. */
function request(k: number, next: () => number, world: World): BookHearingInput {
  const days = Math.floor(HEARINGS / JUDGES / SLOTS.length);
  const judge = Math.floor(next() * JUDGES);
  const day = Math.floor(next() * days);
  const clash = k % 2 === 0;
  const start = FIRST_DAY + day * DAY + (clash ? 10.75 * HOUR : LUNCH);
  const site = () => world.sites[Math.floor(next() * SITES)] ?? null;
  return {
    caseNumber: `（2026）浙0185民初${k + 1}号`,
    title: '房屋租赁合同纠纷',
    caseType: 'civil',
    courtId: world.courts[Math.floor(judge / JUDGES_PER_COURT)] ?? '',
    judgeId: world.judges[judge] ?? '',
    clerkId: world.clerks[2 * judge] ?? '',
    startsAt: iso(start),
    endsAt: iso(start + HOUR),
    isPublic: true,
    participants: [
      { role: 'plaintiff', name: '李建国', idTail: '1234', site: site() },
      { role: 'defendant', name: '赵丽', idTail: '4321', site: site() },
      { role: 'agent', name: '张律师', idTail: '5678', site: null },
    ],
  };
}

interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles. */
function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil((sorted.length * p) / 100) - 1)] ?? Number.NaN;
  return { n: sorted.length, p50: rank(50), p95: rank(95), p99: rank(99), max: sorted.at(-1) ?? Number.NaN };
}

/** One measured series: a database, how it ran, the latencies by outcome. */
interface Series {
  label: string;
  booked: number[];
  refused: number[];
  /** Statements sent per call by outcome (most common count), BEGIN and COMMIT/ROLLBACK not included. */
  statements: { booked: number; refused: number };
  /** The machine's 1-minute load average at the end: other work on it shows in the tail latencies. */
  load: number;
  /** This process's garbage-collection pauses during the measured calls: each one stalls a call. */
  gc: { pauses: number; totalMs: number; longestMs: number };
}

interface Result {
  dialect: DialectName;
  fillSeconds: number;
  counts: Record<string, number>;
  series: Series[];
  /** PostgreSQL: the same number of statements doing nothing, in a transaction whose commit is flushed. */
  floor: number[] | null;
  /** PostgreSQL: where the time of SPLIT_CALLS more calls went (see measureSplit). */
  split: SplitCall[] | null;
}

async function countRows(db: Kysely<DB>): Promise<Record<string, number>> {
  const count = async (table: 'hearings' | 'bookings' | 'hearing_participants') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    hearings: await count('hearings'),
    participants: await count('hearing_participants'),
    bookings: await count('bookings'),
  };
}

/** The plan of the overlap query the scheduler runs, for the record. */
async function explainOverlap(db: Kysely<DB>, dialect: DialectName, world: World): Promise<string> {
  const keys = [`judge:${world.judges[0]}`, `clerk:${world.clerks[0]}`, `kiosk:${world.kiosks[0]}`];
  const start = FIRST_DAY + 100 * DAY + LUNCH;
  // With the clashing hearings' case numbers, as the scheduler asks (the plan of its literal values; the
  // scheduler runs it prepared, with its generic plan on PostgreSQL).
  const query = db
    .selectFrom('bookings as b')
    .innerJoin('hearings as h', 'h.id', 'b.hearing_id')
    .select(['b.resource_key', 'b.hearing_id', 'b.start_ms', 'b.end_ms', 'h.case_number'])
    .where('b.resource_key', 'in', keys)
    .where('b.start_ms', '<', start + HOUR)
    .where('b.start_ms', '>', start - 12 * HOUR)
    .where('b.end_ms', '>', start)
    .compile();
  const prefix =
    dialect === 'postgres' ? 'explain (analyze, costs off, timing off, summary off) ' : 'explain query plan ';
  const result = await db.executeQuery<Record<string, unknown>>({ ...query, sql: prefix + query.sql });
  return result.rows
    .map((row) => String(row['QUERY PLAN'] ?? row.detail ?? JSON.stringify(row)))
    .map((line) => `    ${line}`)
    .join('\n');
}

function mostCommon(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

/** One booking through the scheduler: true when booked, false when refused as a CONFLICT. */
async function bookOrRefuse(scheduler: HearingScheduler, input: BookHearingInput): Promise<boolean> {
  try {
    await scheduler.book({ userId: 'bench-clerk' }, input);
    return true;
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'CONFLICT') throw error;
    return false;
  }
}

/** WARMUP + MEASURED bookings, one at a time, through the scheduler on `db`. */
async function measure(label: string, db: Kysely<DB>, dialect: DialectName, world: World, seed: number) {
  let statements = 0;
  // Counts the statements the scheduler sends (the transaction's BEGIN and COMMIT are not queries).
  const counted = db.withPlugin({
    transformQuery: (args) => args.node,
    // Once per statement executed: transformQuery also sees the subqueries built with this instance.
    transformResult: async (args) => {
      statements++;
      return args.result;
    },
  });
  const scheduler = new HearingScheduler({ db: counted, dialect, bufferMinutes: BUFFER_MINUTES });
  const next = random(seed);
  const series: Series = {
    label,
    booked: [],
    refused: [],
    statements: { booked: 0, refused: 0 },
    load: 0,
    gc: { pauses: 0, totalMs: 0, longestMs: 0 },
  };
  // Pauses as [start, duration]: the observer hears of them later, from the event loop (which the
  // synchronous SQLite driver does not reach between calls), so they are counted by their time.
  const pauses: [number, number][] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push([entry.startTime, entry.duration]);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  let measuredFrom = Number.POSITIVE_INFINITY;
  const perCall = { booked: [] as number[], refused: [] as number[] };
  const deadline = performance.now() + MEASURE_BUDGET_MS;
  for (let k = 0; k < WARMUP + MEASURED && performance.now() < deadline; k++) {
    if (k === WARMUP) measuredFrom = performance.now();
    const input = request(seed + k, next, world);
    statements = 0;
    const t0 = performance.now();
    const ok = await bookOrRefuse(scheduler, input);
    const elapsed = performance.now() - t0;
    if (k < WARMUP) continue;
    (ok ? series.booked : series.refused).push(elapsed);
    (ok ? perCall.booked : perCall.refused).push(statements);
  }
  const measuredTo = performance.now();
  // Let the observer hear of the last pauses.
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  gcObserver.disconnect();
  for (const [start, duration] of pauses) {
    if (start < measuredFrom || start > measuredTo) continue;
    series.gc.pauses++;
    series.gc.totalMs += duration;
    series.gc.longestMs = Math.max(series.gc.longestMs, duration);
  }
  series.statements = { booked: mostCommon(perCall.booked), refused: mostCommon(perCall.refused) };
  series.load = os.loadavg()[0] ?? 0;
  return series;
}

/**
 * The environment's floor on PostgreSQL: a statement of its own that takes a transaction id, so that
 * its commit is written and flushed like a booking's (one round trip, as a booking is).
 */
async function measureFloor(db: Kysely<DB>): Promise<number[]> {
  const samples: number[] = [];
  for (let k = 0; k < WARMUP + MEASURED; k++) {
    const t0 = performance.now();
    await sql`select pg_current_xact_id()`.execute(db);
    if (k >= WARMUP) samples.push(performance.now() - t0);
  }
  return samples;
}

/** One call of the split series: its outcome and its time in three parts, in ms. */
interface SplitCall {
  booked: boolean;
  /** From the statement's arrival at the server to scheduler_book's return: arguments parsed, function run. */
  server: number;
  /** The rest of the round trip: the commit with its flush, the network both ways, the driver. */
  roundTrip: number;
  /** Node before sending the statement (validation, the call's JSON) and after its answer. */
  node: number;
}

/** The column the split series adds to the scheduler's statement: the server's time so far, in ms. */
const SERVER_MS_COLUMN = ', extract(epoch from clock_timestamp() - statement_timestamp()) * 1000 as server_ms';

/**
 * PostgreSQL: where a booking's time goes, for the note and not for the table's numbers: SPLIT_CALLS
 * more calls (after the measured ones, so the code is as warm), whose statement is rewritten to answer
 * also how long the server had spent on it when scheduler_book returned (clock_timestamp() −
 * statement_timestamp(), the time since the statement's message arrived). What remains of the round
 * trip is the commit, the network and the driver; the rest of the call is Node's.
 */
async function measureSplit(db: Kysely<DB>, world: World, seed: number): Promise<SplitCall[]> {
  let sentAt = 0;
  let answeredAt = 0;
  let serverMs = Number.NaN;
  const split = db.withPlugin({
    transformQuery: ({ node }) => {
      sentAt = performance.now();
      if (!RawNode.is(node) || !node.sqlFragments[0]?.includes('scheduler_book(')) return node;
      const fragments = [...node.sqlFragments];
      fragments[fragments.length - 1] += SERVER_MS_COLUMN;
      return RawNode.create(fragments, node.parameters);
    },
    transformResult: async ({ result }) => {
      answeredAt = performance.now();
      serverMs = Number((result.rows[0] as { server_ms?: unknown } | undefined)?.server_ms ?? Number.NaN);
      return result;
    },
  });
  const scheduler = new HearingScheduler({ db: split, dialect: 'postgres', bufferMinutes: BUFFER_MINUTES });
  const next = random(seed);
  const calls: SplitCall[] = [];
  for (let k = 0; k < SPLIT_CALLS; k++) {
    const input = request(seed + k, next, world);
    serverMs = Number.NaN;
    const t0 = performance.now();
    const booked = await bookOrRefuse(scheduler, input);
    const elapsed = performance.now() - t0;
    if (Number.isNaN(serverMs)) throw new Error('the split series did not see the server time of scheduler_book');
    const query = answeredAt - sentAt;
    calls.push({ booked, server: serverMs, roundTrip: query - serverMs, node: elapsed - query });
  }
  return calls;
}

/** BENCH_COLD=1: measure without reading the database into the page cache first. */
const COLD = process.env.BENCH_COLD === '1';

/**
 * Reads the whole database once, so that the measured bookings find its pages in the operating
 * system's page cache, as on a server that has been answering for a while, rather than on disk: this
 * machine's kernel pages out page cache that no one touched for about a minute (DAMON's pageout), so a
 * database left idle is read back from disk page by page by the first bookings after it. BENCH_COLD=1
 * measures that case instead. SQLite: the file and its WAL, read in order. PostgreSQL: every table and
 * index of the schema, with pg_prewarm's `read` mode (into the page cache, not into shared buffers).
 */
async function prewarm(database: TestDatabase, dialect: DialectName): Promise<number> {
  if (COLD) return 0;
  if (dialect === 'sqlite') {
    let bytes = 0;
    const chunk = Buffer.alloc(8 * 2 ** 20);
    for (const file of [database.url, `${database.url}-wal`]) {
      if (!fs.existsSync(file)) continue;
      const fd = fs.openSync(file, 'r');
      try {
        for (let n = fs.readSync(fd, chunk); n > 0; n = fs.readSync(fd, chunk)) bytes += n;
      } finally {
        fs.closeSync(fd);
      }
    }
    return bytes;
  }
  // In this schema, so that it goes with it; or wherever an earlier run (a kept schema) put it.
  const { rows: schemas } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
  await sql`create extension if not exists pg_prewarm with schema ${sql.id(schemas[0]?.schema ?? 'public')}`.execute(
    database.db,
  );
  const { rows: found } = await sql<{ schema: string }>`select extnamespace::regnamespace::text as schema
    from pg_extension where extname = 'pg_prewarm'`.execute(database.db);
  const prewarmFn = sql.id(found[0]?.schema ?? 'public', 'pg_prewarm');
  const { rows } = await sql<{
    blocks: string | number | null;
  }>`select sum(${prewarmFn}(c.oid::regclass, 'read')) as blocks
    from pg_class c where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'i', 't')`.execute(
    database.db,
  );
  return Number(rows[0]?.blocks ?? 0) * 8192;
}

/** BENCH_KEEP=1: the filled database is kept after the run and reused by the next one with BENCH_KEEP=1. */
const KEEP = process.env.BENCH_KEEP === '1';
/** Where a kept database lives: a file in the temporary directory, or a schema of the test database. */
const KEPT_SQLITE_FILE = path.join(os.tmpdir(), `shared-court-bench-booking-${HEARINGS}.sqlite`);
const KEPT_PG_SCHEMA = `bench_booking_${HEARINGS}`;

/** The fill's layout, stored in the kept database once the fill is complete: its presence marks it so. */
const WorldSchema = z.object({
  courts: z.array(z.string()),
  judges: z.array(z.string()),
  clerks: z.array(z.string()),
  sites: z.array(z.string()),
  kiosks: z.array(z.string()),
});

async function keptWorld(db: Kysely<DB>): Promise<World | null> {
  try {
    const found = await sql<{ world: string }>`select world from bench_world`.execute(db);
    const stored = found.rows[0];
    return stored ? WorldSchema.parse(JSON.parse(stored.world)) : null;
  } catch {
    return null; // no bench_world table: never filled, or the fill was interrupted
  }
}

/**
 * A kept database back to its filled state: the hearings of earlier measured runs (the fill's rows
 * all have created_ms = CREATED_MS) and the audit chain are removed, so every run books against the
 * same rows and its requests clash exactly as on a fresh fill.
 */
async function resetKept(db: Kysely<DB>, dialect: DialectName): Promise<void> {
  const booked = db.selectFrom('hearings').select('id').where('created_ms', '<>', CREATED_MS);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('bookings').where('hearing_id', 'in', booked).execute();
    await trx.deleteFrom('hearing_participants').where('hearing_id', 'in', booked).execute();
    await trx.deleteFrom('hearing_history').where('hearing_id', 'in', booked).execute();
    await trx.deleteFrom('hearings').where('created_ms', '<>', CREATED_MS).execute();
    await trx.deleteFrom('audit_log').execute();
    await trx.updateTable('audit_head').set({ seq: 0, hash: GENESIS_HASH }).where('id', '=', 1).execute();
  });
  if (dialect === 'postgres') {
    await sql`vacuum analyze`.execute(db);
    await sql`checkpoint`.execute(db);
  }
}

/** A database to measure: fresh (dropped at the end), or with BENCH_KEEP=1 the kept one. */
async function openBenchDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (!KEEP) return openTestDatabase(dialect);
  const url = dialect === 'sqlite' ? KEPT_SQLITE_FILE : TEST_POSTGRES_URL;
  const database = await openDatabase(dialect === 'sqlite' ? { url } : { url, pgSchema: KEPT_PG_SCHEMA });
  return { ...database, url, destroy: () => database.close() };
}

async function benchmark(dialect: DialectName): Promise<Result> {
  const database = await openBenchDatabase(dialect);
  try {
    const started = performance.now();
    let world = KEEP ? await keptWorld(database.db) : null;
    if (world) {
      out(`\n${dialect}: reusing the kept database (${dialect === 'sqlite' ? KEPT_SQLITE_FILE : KEPT_PG_SCHEMA})`);
      await resetKept(database.db, dialect);
    } else {
      out(`\n${dialect}: filling ${HEARINGS.toLocaleString('en')} hearings, ${JUDGES} judges, ${SITES} sites…`);
      world = await insertWorld(database.db);
      if (dialect === 'sqlite') fillSqlite(database.url, world);
      else await fillPostgres(database.db, world);
      if (KEEP) {
        await sql`create table bench_world (world text not null)`.execute(database.db);
        await sql`insert into bench_world (world) values (${JSON.stringify(world)})`.execute(database.db);
      }
    }
    const fillSeconds = (performance.now() - started) / 1000;
    const counts = await countRows(database.db);
    out(`  ${dialect}: ready in ${fillSeconds.toFixed(1)} s: ${JSON.stringify(counts)}`);
    out(`  overlap query plan:\n${await explainOverlap(database.db, dialect, world)}`);

    const warmed = performance.now();
    const warmedBytes = await prewarm(database, dialect);
    out(
      `  ${dialect}: ${(warmedBytes / 2 ** 20).toFixed(0)} MiB read into the page cache in ${((performance.now() - warmed) / 1000).toFixed(1)} s`,
    );
    const series = [await measure(dialect, database.db, dialect, world, 0)];
    let floor: number[] | null = null;
    let split: SplitCall[] | null = null;
    // SQLite checkpoints its WAL from the database's own background worker (server/db/Database.ts).
    if (dialect === 'postgres') {
      floor = await measureFloor(database.db);
      split = await measureSplit(database.db, world, 1_000_000);
    }
    return { dialect, fillSeconds, counts, series, floor, split };
  } finally {
    await database.destroy();
  }
}

function report(results: Result[]): void {
  const f = (n: number): string => n.toFixed(2).padStart(7);
  const row = (label: string, outcome: string, samples: number[], extra = ''): void => {
    const p = percentiles(samples);
    out(
      `${label.padEnd(16)} ${outcome.padEnd(9)} ${String(p.n).padStart(5)}  ${f(p.p50)}  ${f(p.p95)}  ${f(p.p99)}  ${f(p.max)}  ${extra}`,
    );
  };
  out(`\nbook() with conflict check, latency in ms (one call at a time, after ${WARMUP} warm-up calls):`);
  out('series           outcome       n      p50      p95      p99      max  statements');
  for (const r of results) {
    for (const s of r.series) {
      row(
        s.label,
        'all',
        [...s.booked, ...s.refused],
        `(load average ${s.load.toFixed(2)} on ${os.cpus().length} cores)`,
      );
      row(s.label, 'booked', s.booked, String(s.statements.booked));
      row(s.label, 'CONFLICT', s.refused, String(s.statements.refused));
      out(
        `${''.padEnd(16)} (garbage collection during the measured calls: ${s.gc.pauses} pauses, ${s.gc.totalMs.toFixed(1)} ms in all, the longest ${s.gc.longestMs.toFixed(2)} ms)`,
      );
    }
    if (r.floor) row(`${r.dialect} floor`, 'no-op tx', r.floor, '1');
  }
  out('(statements: per call, without BEGIN and COMMIT/ROLLBACK; "floor": one statement that does nothing');
  out(' but commit with a flush, as a booking does)');
  for (const r of results) {
    if (!r.split) continue;
    out(
      `\n${r.dialect}: where the time of ${r.split.length} more calls went, p50 / p95 / p99 in ms (not in the table above):`,
    );
    out('outcome        server: arguments and function   commit, network, driver   Node before and after');
    const triple = (values: number[]): string => {
      const p = percentiles(values);
      return `${f(p.p50)} ${f(p.p95)} ${f(p.p99)}`;
    };
    for (const [label, booked] of [
      ['booked', true],
      ['CONFLICT', false],
    ] as const) {
      const calls = r.split.filter((c) => c.booked === booked);
      out(
        `${label.padEnd(9)} ${String(calls.length).padStart(5)}  ${triple(calls.map((c) => c.server)).padEnd(30)}  ${triple(calls.map((c) => c.roundTrip)).padEnd(24)}  ${triple(calls.map((c) => c.node))}`,
      );
    }
  }
  out(KEEP ? '\nfill (or reset of the kept database) times:' : '\nfill times:');
  for (const r of results) out(`  ${r.dialect}: ${r.fillSeconds.toFixed(1)} s for ${JSON.stringify(r.counts)}`);
  for (const r of results) {
    const product = r.series[0];
    if (!product) continue;
    const p99 = percentiles([...product.booked, ...product.refused]).p99;
    out(
      `${r.dialect}: p99 ${p99.toFixed(2)} ms ${p99 <= TARGET_P99_MS ? 'meets' : 'MISSES'} the target of ${TARGET_P99_MS} ms`,
    );
  }
}

async function main(): Promise<void> {
  const only = process.env.BENCH_DB;
  const dialects: DialectName[] = only === 'sqlite' || only === 'postgres' ? [only] : ['sqlite', 'postgres'];
  const results: Result[] = [];
  for (const dialect of dialects) results.push(await benchmark(dialect));
  report(results);
}

await main();
