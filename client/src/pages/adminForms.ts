import type { z } from 'zod';

/*
 * The administrator's forms as plain data, checked with the very schemas the server parses them with
 * (shared/accounts.ts), so a form is only sent once it would be accepted in shape; what only the server
 * can know (a name already taken, a court that vanished) comes back as its error.
 */

/** The sentence (an i18n key) shown beside each field the shared schemas can refuse. */
export const FIELD_PROBLEMS = {
  name: 'admin.problem.name',
  regionCode: 'admin.problem.regionCode',
  county: 'admin.problem.county',
  addressCode: 'admin.problem.addressCode',
  siteId: 'admin.problem.siteId',
  courtId: 'admin.problem.courtId',
  role: 'admin.problem.role',
  username: 'admin.problem.username',
  displayName: 'admin.problem.displayName',
  password: 'admin.problem.password',
  pin: 'admin.problem.pin',
} as const;
export type FormField = keyof typeof FIELD_PROBLEMS;

export type FormCheck<T> = { ok: true; data: T } | { ok: false; fields: FormField[] };

function isFormField(value: unknown): value is FormField {
  return typeof value === 'string' && Object.hasOwn(FIELD_PROBLEMS, value);
}

/** Parses a form's values with its shared schema: the cleaned input to send, or the fields to fix. */
export function checkForm<S extends z.ZodType>(schema: S, values: unknown): FormCheck<z.output<S>> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const fields = new Set<FormField>();
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (isFormField(field)) fields.add(field);
  }
  return { ok: false, fields: [...fields] };
}

/** The i18n key of the problem to show beside `field`, or null when it is fine (or not yet checked). */
export function problemKey<T>(check: FormCheck<T> | null, field: FormField): string | null {
  if (check === null || check.ok || !check.fields.includes(field)) return null;
  return FIELD_PROBLEMS[field];
}

export interface CourtForm {
  name: string;
  regionCode: string;
}

export interface SiteForm {
  name: string;
  county: string;
  addressCode: string;
}

export interface UserForm {
  courtId: string;
  role: string;
  username: string;
  displayName: string;
  password: string;
}

export const EMPTY_COURT: CourtForm = { name: '', regionCode: '' };
export const EMPTY_SITE: SiteForm = { name: '', county: '', addressCode: '' };
export const emptyUserForm = (courtId: string): UserForm => ({
  courtId,
  role: 'clerk',
  username: '',
  displayName: '',
  password: '',
});

/** Distinct counties of the sites, in Chinese collation order. */
export function countiesOf(sites: readonly { county: string }[]): string[] {
  return [...new Set(sites.map((s) => s.county))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
}
