import { z } from 'zod';
import { IdSchema } from './hearing.js';

/*
 * Courts, shared-court sites, kiosks and user accounts: what an administrator registers, what a user
 * or a kiosk proves at sign-in, and the principal the server derives from it. Inputs are parsed with
 * these schemas wherever they cross a boundary; outputs never carry password hashes, credential
 * hashes or enrollment codes.
 */

export const UserRoleSchema = z.enum(['admin', 'clerk', 'judge']);
export type UserRole = z.infer<typeof UserRoleSchema>;

const NameSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const RegisterCourtInputSchema = z.object({
  /** e.g. 临安区人民法院 */
  name: NameSchema,
  /** 6-digit administrative region code (行政区划代码), e.g. 330112 for 临安区. */
  regionCode: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'must be the 6-digit administrative region code, e.g. 330112'),
});
export type RegisterCourtInput = z.infer<typeof RegisterCourtInputSchema>;

/**
 * The village's unified address code (统一地址编码), digits only, 12 to 24 of them.
 *
 * Why that range: the systems in use do not agree on one format. The 12-digit statistical division
 * code (统计用区划代码: 6 digits county, 3 township, 3 village/community) already names a village
 * uniquely and is what most sites will be registered with; the provincial address systems extend it
 * with further digits down to the building (up to 24 seen in practice). Taking both avoids guessing
 * which one a county uses; refusing anything but digits keeps a typo (a space, a dash, a full-width
 * digit) from registering the same village twice under two "different" codes.
 */
export const AddressCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{12,24}$/, 'must be the unified address code: 12 to 24 digits, e.g. 331126101201');

export const RegisterSiteInputSchema = z.object({
  /** e.g. 庆元县某村共享法庭 */
  name: NameSchema,
  /** e.g. 庆元县 */
  county: z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters'),
  addressCode: AddressCodeSchema,
});
export type RegisterSiteInput = z.infer<typeof RegisterSiteInputSchema>;

/** The site operator's PIN (联络员), confirming identities at kiosk check-in: 4 to 8 digits. */
export const OperatorPinSchema = z.string().regex(/^[0-9]{4,8}$/, 'the operator PIN is 4 to 8 digits');
export const SetOperatorPinInputSchema = z.strictObject({ pin: OperatorPinSchema });
export type SetOperatorPinInput = z.infer<typeof SetOperatorPinInputSchema>;

export const RegisterKioskInputSchema = z.object({
  siteId: IdSchema,
  /** e.g. 服务大厅一号终端 */
  name: NameSchema,
});
export type RegisterKioskInput = z.infer<typeof RegisterKioskInputSchema>;

/** Lower-case letters, digits, ".", "_" and "-"; stored and compared in lower case. */
export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,32}$/, 'must be 3 to 32 characters: letters a–z, digits, ".", "_" or "-"');

/** Long enough to resist guessing; bounded so one request cannot make the server hash megabytes. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export const CreateUserInputSchema = z.object({
  courtId: IdSchema,
  role: UserRoleSchema,
  username: UsernameSchema,
  displayName: NameSchema,
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
    .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`),
});
export type CreateUserInput = z.infer<typeof CreateUserInputSchema>;

/** Sign-in checks only the shape: a password set under an older rule must still be accepted. */
export const LoginInputSchema = z.object({
  username: z.string().trim().toLowerCase().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  password: z.string().min(1, 'must not be empty').max(PASSWORD_MAX_LENGTH, 'is too long'),
});
export type LoginInput = z.infer<typeof LoginInputSchema>;

/**
 * One-time kiosk enrollment code: 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L,
 * U/V kept apart by dropping U), shown as two groups of five, e.g. `7KQ4M-XH2PD`. 30^10 ≈ 2^49
 * codes; with the code's 7-day life and the per-address attempt limit, guessing one is hopeless.
 * The operator types it once on the kiosk, so case, spaces and dashes are forgiven.
 */
export const ENROLLMENT_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ENROLLMENT_CODE_LENGTH = 10;

/** Upper-cases and drops separators so `7kq4m xh2pd` and `7KQ4M-XH2PD` are the same code. */
export function normalizeEnrollmentCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/** The display form: two groups of five separated by a dash. */
export function formatEnrollmentCode(code: string): string {
  const normalized = normalizeEnrollmentCode(code);
  const half = ENROLLMENT_CODE_LENGTH / 2;
  return `${normalized.slice(0, half)}-${normalized.slice(half)}`;
}

export const EnrollKioskInputSchema = z.object({
  code: z
    .string()
    .max(64, 'is too long')
    .transform(normalizeEnrollmentCode)
    .pipe(
      z
        .string()
        .regex(
          new RegExp(`^[${ENROLLMENT_CODE_ALPHABET}]{${ENROLLMENT_CODE_LENGTH}}$`),
          `must be the ${ENROLLMENT_CODE_LENGTH}-character enrollment code shown to the administrator, e.g. 7KQ4M-XH2PD`,
        ),
    ),
});
export type EnrollKioskInput = z.infer<typeof EnrollKioskInputSchema>;

/** Who is calling, as the server established it from a session token or a kiosk credential. */
export const PrincipalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), userId: IdSchema, courtId: IdSchema, role: UserRoleSchema }),
  z.object({ kind: z.literal('kiosk'), kioskId: IdSchema, siteId: IdSchema }),
]);
export type Principal = z.infer<typeof PrincipalSchema>;
export type UserPrincipal = Extract<Principal, { kind: 'user' }>;
export type KioskPrincipal = Extract<Principal, { kind: 'kiosk' }>;

// What listings answer. Times are UTC milliseconds since the epoch.

export const CourtSummarySchema = z.object({
  id: IdSchema,
  name: z.string(),
  regionCode: z.string(),
  createdMs: z.number().int(),
});
export type CourtSummary = z.infer<typeof CourtSummarySchema>;

export const SiteSummarySchema = z.object({
  id: IdSchema,
  name: z.string(),
  county: z.string(),
  addressCode: z.string(),
  createdMs: z.number().int(),
  /** The site operator's PIN is set (check-ins at the site need it). */
  operatorPinSet: z.boolean(),
});
export type SiteSummary = z.infer<typeof SiteSummarySchema>;

/** `pending`: waiting for its enrollment code; `enrolled`: holds a working credential; `revoked`. */
export const KioskStatusSchema = z.enum(['pending', 'enrolled', 'revoked']);
export type KioskStatus = z.infer<typeof KioskStatusSchema>;

export const KioskSummarySchema = z.object({
  id: IdSchema,
  siteId: IdSchema,
  name: z.string(),
  status: KioskStatusSchema,
  /** When the outstanding enrollment code stops working; null when none is outstanding. */
  enrollmentExpiresMs: z.number().int().nullable(),
  enrolledMs: z.number().int().nullable(),
  revokedMs: z.number().int().nullable(),
  createdMs: z.number().int(),
});
export type KioskSummary = z.infer<typeof KioskSummarySchema>;

export const UserSummarySchema = z.object({
  id: IdSchema,
  courtId: IdSchema,
  role: UserRoleSchema,
  username: z.string(),
  displayName: z.string(),
  disabledMs: z.number().int().nullable(),
  createdMs: z.number().int(),
});
export type UserSummary = z.infer<typeof UserSummarySchema>;
