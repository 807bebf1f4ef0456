import { z } from 'zod';
import { parseCaseNumber } from './caseNumber.js';
import { IdSchema, ParticipantRoleSchema } from './hearing.js';
import type { HearingState } from './hearingState.js';

/*
 * The scheduling contract: what a clerk sends to book, reschedule or cancel a hearing, and what the
 * scheduler answers. Times travel as ISO 8601 strings with an explicit offset (the UI sends
 * Asia/Shanghai, +08:00) and are stored as UTC epoch milliseconds.
 */

/** The longest hearing that can be booked. It also bounds the overlap query to a short index range. */
export const MAX_HEARING_DURATION_MS = 12 * 60 * 60 * 1000;

/** Asia/Shanghai has been UTC+8 all year since 1991 (no daylight saving time). */
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
export const SHANGHAI_TIME_ZONE = 'Asia/Shanghai';
const DAY_MS = 24 * 60 * 60 * 1000;

export const CaseTypeSchema = z.enum(['civil', 'criminal', 'administrative', 'enforcement', 'mediation', 'other']);
export type CaseType = z.infer<typeof CaseTypeSchema>;

/** Who a clerk can book into a hearing; the judge and the clerk are the hearing's own fields. */
export const BookedRoleSchema = ParticipantRoleSchema.exclude(['judge', 'clerk']);
export type BookedRole = z.infer<typeof BookedRoleSchema>;

/** A case number in any common spelling, turned into its canonical form (see caseNumber.ts). */
export const CaseNumberSchema = z.string().transform((value, ctx) => {
  const parsed = parseCaseNumber(value);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: parsed.reason });
  return z.NEVER;
});

const OFFSET_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an ISO 8601 date-time that carries its offset (`2026-12-03T09:30:00+08:00`, or `Z`) into epoch
 * milliseconds; null when it is not one, has no offset, or names a date that does not exist (02-30).
 */
export function parseOffsetDateTime(text: string): number | null {
  const m = OFFSET_DATE_TIME.exec(text);
  if (!m) return null;
  const field = (index: number): number => Number(m[index] ?? 0);
  const [year, month, day, hour, minute, second] = [field(1), field(2), field(3), field(4), field(5), field(6)];
  const millis = Number((m[7] ?? '').padEnd(3, '0'));
  // Date.UTC maps years 0–99 to 1900–1999; no hearing is that old.
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 02-30 over into March; a date that does not come back unchanged does not exist.
  if (new Date(local).getUTCDate() !== day) return null;
  const offset = m[8] ?? 'Z';
  let offsetMs = 0;
  if (offset !== 'Z') {
    const offsetHours = Number(offset.slice(1, 3));
    const offsetMinutes = Number(offset.slice(4, 6));
    if (offsetHours > 14 || offsetMinutes > 59) return null;
    offsetMs = (offset.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  return local - offsetMs;
}

/** An ISO 8601 date-time with an explicit offset, as epoch milliseconds. */
export const OffsetDateTimeSchema = z.string().transform((value, ctx) => {
  const ms = parseOffsetDateTime(value);
  if (ms !== null) return ms;
  ctx.addIssue({
    code: 'custom',
    message: `${JSON.stringify(value)} is not a date-time with an offset; send e.g. 2026-12-03T09:30:00+08:00`,
  });
  return z.NEVER;
});

/** The hearing's time: end after start, at most MAX_HEARING_DURATION_MS long. */
function checkTimeRange(range: { startMs: number; endMs: number }, ctx: z.RefinementCtx): void {
  if (range.endMs <= range.startMs) {
    ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'the hearing must end after it starts' });
  } else if (range.endMs - range.startMs > MAX_HEARING_DURATION_MS) {
    ctx.addIssue({
      code: 'custom',
      path: ['endsAt'],
      message: `a hearing may last at most ${MAX_HEARING_DURATION_MS / 3_600_000} hours; split longer ones`,
    });
  }
}

export const ParticipantInputSchema = z.object({
  role: BookedRoleSchema,
  name: z.string().trim().min(1, 'the participant needs a name').max(100),
  /** The last 4–6 characters of the ID number (the last may be X), asked at kiosk check-in. */
  idTail: z
    .string()
    .trim()
    .regex(/^(\d{4,6}|\d{3,5}[Xx])$/, 'the ID-number tail is its last 4 to 6 digits (the last may be X)')
    .transform((tail) => tail.toUpperCase()),
  /** The shared-court site the participant appears at; null when at the court. */
  site: IdSchema.nullable(),
});
export type ParticipantInput = z.input<typeof ParticipantInputSchema>;

export const BookHearingInputSchema = z
  .object({
    caseNumber: CaseNumberSchema,
    title: z.string().trim().min(1, 'the hearing needs a case title').max(200),
    caseType: CaseTypeSchema,
    courtId: IdSchema,
    judgeId: IdSchema,
    clerkId: IdSchema,
    startsAt: OffsetDateTimeSchema,
    endsAt: OffsetDateTimeSchema,
    /** Public hearings (庭审公开) admit observers. */
    isPublic: z.boolean(),
    participants: z.array(ParticipantInputSchema).min(1, 'a hearing needs at least one participant').max(50),
  })
  .transform(({ startsAt, endsAt, ...rest }) => ({ ...rest, startMs: startsAt, endMs: endsAt }))
  .superRefine((input, ctx) => {
    checkTimeRange(input, ctx);
    if (!input.isPublic && input.participants.some((p) => p.role === 'observer')) {
      ctx.addIssue({
        code: 'custom',
        path: ['participants'],
        message: 'observers may only attend public hearings; mark the hearing public or remove the observers',
      });
    }
  });
/** What a clerk sends to book a hearing. */
export type BookHearingInput = z.input<typeof BookHearingInputSchema>;
/** A validated booking: canonical case number, times as epoch milliseconds. */
export type BookHearingRequest = z.output<typeof BookHearingInputSchema>;

export const RescheduleInputSchema = z
  .object({
    startsAt: OffsetDateTimeSchema,
    endsAt: OffsetDateTimeSchema,
    /** The version the clerk saw; the change is refused when someone else changed the hearing since. */
    expectedVersion: z.number().int().min(1).optional(),
  })
  .transform(({ startsAt, endsAt, expectedVersion }) => ({ startMs: startsAt, endMs: endsAt, expectedVersion }))
  .superRefine(checkTimeRange);
export type RescheduleInput = z.input<typeof RescheduleInputSchema>;
export type RescheduleRequest = z.output<typeof RescheduleInputSchema>;

export const CancelInputSchema = z.object({
  reason: z.string().trim().min(1, 'say why the hearing is cancelled').max(500),
});
export type CancelInput = z.input<typeof CancelInputSchema>;

/** A booked hearing's state: booked ones are scheduled or cancelled; the live states come from the room. */
export type HearingStatus = HearingState;

export interface BookedParticipant {
  id: string;
  role: BookedRole;
  name: string;
  idTail: string;
  siteId: string | null;
  /** The kiosk of the site reserved for this hearing; shared by everyone at that site. */
  kioskId: string | null;
  position: number;
}

export interface BookedHearing {
  id: string;
  caseNumber: string;
  title: string;
  caseType: CaseType;
  courtId: string;
  judgeId: string;
  clerkId: string;
  startMs: number;
  endMs: number;
  /** The same instants in Asia/Shanghai, ISO 8601 with +08:00. */
  startsAt: string;
  endsAt: string;
  isPublic: boolean;
  status: HearingStatus;
  cancelReason: string | null;
  /** Raised by every change; a reschedule may name the version it expects. */
  version: number;
  createdMs: number;
  updatedMs: number;
  participants: BookedParticipant[];
}

/** What a kiosk may see of a hearing at its site: no ID-number tails, only the people at that site. */
export interface SiteHearing {
  id: string;
  caseNumber: string;
  title: string;
  startMs: number;
  endMs: number;
  startsAt: string;
  endsAt: string;
  isPublic: boolean;
  kioskId: string | null;
  participants: { id: string; role: BookedRole; name: string }[];
}

/** One existing booking of a judge, clerk or site kiosk, for the clerk's live conflict view. */
export interface ResourceBooking {
  resource: 'judge' | 'clerk' | 'site';
  /** The judge's or clerk's user id, or the site id. */
  resourceId: string;
  /** Set for site bookings: which of the site's kiosks is taken. */
  kioskId: string | null;
  hearingId: string;
  caseNumber: string;
  startMs: number;
  endMs: number;
}

/** A clash named in a CONFLICT error's details. */
export interface BookingConflict extends ResourceBooking {
  startsAt: string;
  endsAt: string;
}

export interface HistoryEntry {
  id: string;
  atMs: number;
  actorId: string;
  action: 'booked' | 'rescheduled' | 'cancelled' | 'updated';
  reason: string | null;
  before: unknown;
  after: unknown;
}

/** The instant as ISO 8601 in Asia/Shanghai: `2026-12-03T09:30:00+08:00`. */
export function toShanghaiIso(ms: number): string {
  return `${new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** The start of the Asia/Shanghai calendar day that contains the instant. */
export function shanghaiDayStart(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
}

const DATE_TIME_FORMAT = new Intl.DateTimeFormat('en-CA', {
  timeZone: SHANGHAI_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function formatParts(ms: number): { date: string; time: string } {
  const part = (type: Intl.DateTimeFormatPartTypes, parts: Intl.DateTimeFormatPart[]): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  const parts = DATE_TIME_FORMAT.formatToParts(ms);
  return {
    date: `${part('year', parts)}-${part('month', parts)}-${part('day', parts)}`,
    time: `${part('hour', parts)}:${part('minute', parts)}`,
  };
}

/** An instant for messages, in Asia/Shanghai: `2026-12-03 09:30`. */
export function formatShanghaiTime(ms: number): string {
  const { date, time } = formatParts(ms);
  return `${date} ${time}`;
}

/** A time range for messages, in Asia/Shanghai: `2026-12-03 09:30–10:30`, or with both dates across midnight. */
export function formatShanghaiRange(startMs: number, endMs: number): string {
  const start = formatParts(startMs);
  const end = formatParts(endMs);
  return start.date === end.date
    ? `${start.date} ${start.time}–${end.time}`
    : `${start.date} ${start.time} – ${end.date} ${end.time}`;
}
