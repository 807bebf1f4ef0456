import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Court, DB, Kiosk, Site, User } from '../../server/db/schema.js';

/*
 * Rows inserted straight into the database for tests that need courts, accounts, sites and kiosks
 * to exist. Independent of the registration services on purpose: a test of scheduling should not
 * fail because enrollment changed.
 */

/** A fixed creation time, so rows sort the same way on every run. */
const CREATED_MS = Date.UTC(2026, 0, 1);

let counter = 0;
const unique = (): string => `${Date.now().toString(36)}${(++counter).toString(36)}`;

export async function insertCourt(db: Kysely<DB>, values: Partial<Court> = {}): Promise<Court> {
  const row: Court = {
    id: randomUUID(),
    name: '临安区人民法院',
    region_code: '330112',
    created_ms: CREATED_MS,
    ...values,
  };
  await db.insertInto('courts').values(row).execute();
  return row;
}

export async function insertUser(
  db: Kysely<DB>,
  values: Pick<User, 'court_id' | 'role'> & Partial<User>,
): Promise<User> {
  const id = values.id ?? randomUUID();
  const row: User = {
    id,
    username: `${values.role}-${unique()}`,
    display_name: values.role === 'judge' ? '王法官' : values.role === 'clerk' ? '陈书记员' : '管理员',
    // Tests that use these accounts never log in with them.
    password_hash: 'not-a-real-hash',
    ical_token: null,
    disabled_ms: null,
    created_ms: CREATED_MS,
    ...values,
  };
  await db.insertInto('users').values(row).execute();
  return row;
}

export async function insertSite(db: Kysely<DB>, values: Partial<Site> = {}): Promise<Site> {
  const row: Site = {
    id: randomUUID(),
    name: '清源村共享法庭',
    county: '庆元县',
    address_code: `addr-${unique()}`,
    created_ms: CREATED_MS,
    operator_pin_hash: null,
    ...values,
  };
  await db.insertInto('sites').values(row).execute();
  return row;
}

/** An enrolled kiosk of the site (pass `revoked_ms` for a revoked one). */
export async function insertKiosk(db: Kysely<DB>, values: Pick<Kiosk, 'site_id'> & Partial<Kiosk>): Promise<Kiosk> {
  const row: Kiosk = {
    id: randomUUID(),
    name: '一号终端',
    enrollment_code_hash: null,
    enrollment_expires_ms: null,
    credential_hash: null,
    enrolled_ms: CREATED_MS,
    revoked_ms: null,
    created_ms: CREATED_MS,
    ...values,
  };
  await db.insertInto('kiosks').values(row).execute();
  return row;
}
