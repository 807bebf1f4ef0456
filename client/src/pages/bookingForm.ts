import type { z } from 'zod';
import type { ResourceBookingSchema } from '../../../shared/api.js';
import {
  type BookedRole,
  type BookHearingInput,
  BookHearingInputSchema,
  type CaseType,
  MAX_HEARING_DURATION_MS,
} from '../../../shared/scheduling.js';
import { dayStartMs, overlaps, shanghaiIso, shanghaiMs } from '../services/shanghaiTime.js';

/*
 * The clerk's booking form as plain data, and the pure rules around it: what it sends, what is wrong
 * with it before sending, and which existing bookings it would collide with.
 */

export interface ParticipantRow {
  role: BookedRole;
  name: string;
  idTail: string;
  /** The shared-court site's id; '' when the participant appears at the court. */
  site: string;
}

export interface BookingForm {
  caseNumber: string;
  title: string;
  caseType: CaseType;
  judgeId: string;
  /** `YYYY-MM-DD`, Asia/Shanghai. */
  date: string;
  /** `HH:MM`, Asia/Shanghai. */
  start: string;
  end: string;
  isPublic: boolean;
  participants: ParticipantRow[];
}

export type ResourceBooking = z.infer<typeof ResourceBookingSchema>;

export function emptyParticipant(role: BookedRole = 'plaintiff'): ParticipantRow {
  return { role, name: '', idTail: '', site: '' };
}

export function emptyBookingForm(date: string): BookingForm {
  return {
    caseNumber: '',
    title: '',
    caseType: 'civil',
    judgeId: '',
    date,
    start: '09:00',
    end: '10:00',
    isPublic: false,
    participants: [emptyParticipant('plaintiff'), emptyParticipant('defendant')],
  };
}

/** The hearing's time as epoch milliseconds; null while the date or a time is missing. */
export function formRange(form: BookingForm): { startMs: number; endMs: number } | null {
  const startMs = shanghaiMs(form.date, form.start);
  const endMs = shanghaiMs(form.date, form.end);
  return startMs === null || endMs === null ? null : { startMs, endMs };
}

/** The request body for POST /api/hearings, times as ISO 8601 with +08:00. */
export function bookingInput(form: BookingForm, courtId: string, clerkId: string): BookHearingInput {
  return {
    caseNumber: form.caseNumber,
    title: form.title,
    caseType: form.caseType,
    courtId,
    judgeId: form.judgeId,
    clerkId,
    startsAt: shanghaiIso(form.date, form.start) ?? '',
    endsAt: shanghaiIso(form.date, form.end) ?? '',
    isPublic: form.isPublic,
    participants: form.participants.map((p) => ({
      role: p.role,
      name: p.name,
      idTail: p.idTail,
      site: p.site === '' ? null : p.site,
    })),
  };
}

/** Which sentence explains a problem (an i18n key under `booking.problem`). */
export const PROBLEM_REASONS = [
  'caseNumber',
  'title',
  'judge',
  'timeMissing',
  'timeOrder',
  'timeTooLong',
  'noParticipants',
  'observerNotPublic',
  'participantName',
  'participantIdTail',
  'participantSite',
] as const;
export type ProblemReason = (typeof PROBLEM_REASONS)[number];

export interface BookingProblem {
  /** The field it belongs to: `caseNumber`, `title`, `judge`, `time`, `participants`, `participant.<i>.<field>`. */
  field: string;
  reason: ProblemReason;
}

/**
 * What is wrong with the form before it is sent, checked with the same schema the server uses; empty
 * when it may be sent. (Clashes with other hearings are the server's to decide, shown separately.)
 */
export function bookingProblems(form: BookingForm, courtId: string, clerkId: string): BookingProblem[] {
  const problems: BookingProblem[] = [];
  const add = (problem: BookingProblem) => {
    if (!problems.some((p) => p.field === problem.field)) problems.push(problem);
  };
  const range = formRange(form);
  if (range === null) add({ field: 'time', reason: 'timeMissing' });
  else if (range.endMs <= range.startMs) add({ field: 'time', reason: 'timeOrder' });
  else if (range.endMs - range.startMs > MAX_HEARING_DURATION_MS) add({ field: 'time', reason: 'timeTooLong' });
  if (form.participants.length === 0) add({ field: 'participants', reason: 'noParticipants' });
  else if (!form.isPublic && form.participants.some((p) => p.role === 'observer')) {
    add({ field: 'participants', reason: 'observerNotPublic' });
  }

  const parsed = BookHearingInputSchema.safeParse(bookingInput(form, courtId, clerkId));
  if (parsed.success) return problems;
  for (const issue of parsed.error.issues) {
    const [first, index, field] = issue.path;
    if (first === 'caseNumber') add({ field: 'caseNumber', reason: 'caseNumber' });
    else if (first === 'title') add({ field: 'title', reason: 'title' });
    else if (first === 'judgeId') add({ field: 'judge', reason: 'judge' });
    else if (first === 'participants' && typeof index === 'number') {
      if (field === 'name') add({ field: `participant.${index}.name`, reason: 'participantName' });
      else if (field === 'idTail') add({ field: `participant.${index}.idTail`, reason: 'participantIdTail' });
      else if (field === 'site') add({ field: `participant.${index}.site`, reason: 'participantSite' });
    }
    // Times and the participant list as a whole are checked above, in words a clerk reads.
  }
  return problems;
}

/** The distinct shared-court sites the form books, in order. */
export function formSiteIds(form: BookingForm): string[] {
  return [...new Set(form.participants.map((p) => p.site).filter((site) => site !== ''))];
}

/** The window the live availability view reads: the whole Asia/Shanghai day of the form's date. */
export function availabilityWindow(form: BookingForm): { from: number; to: number } | null {
  const from = dayStartMs(form.date);
  return from === null ? null : { from, to: from + 24 * 60 * 60 * 1000 };
}

/** The existing bookings that overlap the form's time; empty while the time is incomplete. */
export function clashesWith(form: BookingForm, bookings: readonly ResourceBooking[]): ResourceBooking[] {
  const range = formRange(form);
  if (range === null || range.endMs <= range.startMs) return [];
  return bookings.filter((b) => overlaps(b, range));
}
