/**
 * Response shapes of the REST API that are not already declared beside their inputs (accounts.ts):
 * hearings as the scheduler returns them. The server validates its own answers against these in
 * tests, the OpenAPI document is generated from them, and the UI parses with them.
 */

import { z } from 'zod';
import { IdSchema } from './hearing.js';
import { HearingStateSchema } from './hearingState.js';
import { BookedRoleSchema, CaseTypeSchema } from './scheduling.js';

export const BookedParticipantSchema = z.object({
  id: IdSchema,
  role: BookedRoleSchema,
  name: z.string(),
  idTail: z.string(),
  siteId: IdSchema.nullable(),
  kioskId: IdSchema.nullable(),
  position: z.number().int(),
});

export const BookedHearingSchema = z.object({
  id: IdSchema,
  caseNumber: z.string(),
  title: z.string(),
  caseType: CaseTypeSchema,
  courtId: IdSchema,
  judgeId: IdSchema,
  clerkId: IdSchema,
  startMs: z.number().int(),
  endMs: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string(),
  isPublic: z.boolean(),
  status: HearingStateSchema,
  cancelReason: z.string().nullable(),
  version: z.number().int(),
  createdMs: z.number().int(),
  updatedMs: z.number().int(),
  participants: z.array(BookedParticipantSchema),
});

export const SiteHearingSchema = z.object({
  id: IdSchema,
  caseNumber: z.string(),
  title: z.string(),
  startMs: z.number().int(),
  endMs: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string(),
  isPublic: z.boolean(),
  kioskId: IdSchema.nullable(),
  participants: z.array(z.object({ id: IdSchema, role: BookedRoleSchema, name: z.string() })),
});

export const ResourceBookingSchema = z.object({
  resource: z.enum(['judge', 'clerk', 'site']),
  resourceId: IdSchema,
  kioskId: IdSchema.nullable(),
  hearingId: IdSchema,
  caseNumber: z.string(),
  startMs: z.number().int(),
  endMs: z.number().int(),
});

export const HistoryEntrySchema = z.object({
  id: z.string(),
  atMs: z.number().int(),
  actorId: z.string(),
  action: z.enum(['booked', 'rescheduled', 'cancelled', 'updated']),
  reason: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

/** A time window: ISO 8601 instants with offset, or epoch milliseconds. */
export const TimeRangeQuerySchema = z.object({
  from: z.coerce.number().int(),
  to: z.coerce.number().int(),
});
