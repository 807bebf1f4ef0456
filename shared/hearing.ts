import { z } from 'zod';

/** Where a participant takes part from: a shared-court site kiosk or the court itself. */
export const ParticipantRoleSchema = z.enum([
  'judge',
  'clerk',
  'plaintiff',
  'defendant',
  'agent',
  'witness',
  'interpreter',
  'observer',
]);
export type ParticipantRole = z.infer<typeof ParticipantRoleSchema>;

/** The kind of client a participant uses: the judge's or clerk's desk, or a village kiosk. */
export const ClientKindSchema = z.enum(['judge', 'kiosk']);
export type ClientKind = z.infer<typeof ClientKindSchema>;

export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'ids are letters, digits, "_" or "-"');

export const SiteSchema = z.object({
  id: IdSchema,
  name: z.string(),
  county: z.string(),
});
export type Site = z.infer<typeof SiteSchema>;

export const ParticipantSchema = z.object({
  id: IdSchema,
  name: z.string(),
  role: ParticipantRoleSchema,
  client: ClientKindSchema,
  /** The shared-court site the participant appears from; absent when at the court. */
  site: SiteSchema.nullable(),
});
export type Participant = z.infer<typeof ParticipantSchema>;

export const HearingSchema = z.object({
  id: IdSchema,
  caseNumber: z.string(),
  title: z.string(),
  court: z.string(),
  /** ISO 8601 with offset, Asia/Shanghai. */
  startsAt: z.string(),
  endsAt: z.string(),
  participants: z.array(ParticipantSchema),
});
export type Hearing = z.infer<typeof HearingSchema>;
