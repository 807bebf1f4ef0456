import type { Kysely } from 'kysely';
import type { Hearing, Participant } from '../../shared/hearing.js';
import type { BookedHearing } from '../../shared/scheduling.js';
import type { DB } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { HearingScheduler } from '../scheduling/HearingScheduler.js';

/** A booked hearing as the live room needs it, with the booking it came from (for access checks). */
export interface CatalogEntry {
  hearing: Hearing;
  booking: BookedHearing;
}

/**
 * Where live rooms get their hearings: the scheduler's bookings, with the names of the court, the
 * judge, the clerk and the sites filled in. In the room everyone is a participant: the judge and the
 * clerk by their account ids, the parties by their booking ids.
 */
export class HearingCatalog {
  readonly #scheduler: HearingScheduler;
  readonly #db: Kysely<DB>;

  constructor(scheduler: HearingScheduler, db: Kysely<DB>) {
    this.#scheduler = scheduler;
    this.#db = db;
  }

  /** The hearing, or undefined when there is none. */
  async load(hearingId: string): Promise<CatalogEntry | undefined> {
    let booking: BookedHearing;
    try {
      booking = await this.#scheduler.get(hearingId);
    } catch (error) {
      if (error instanceof AppError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) return undefined;
      throw error;
    }
    const [court, staff, sites] = await Promise.all([
      this.#db.selectFrom('courts').select('name').where('id', '=', booking.courtId).executeTakeFirst(),
      this.#db
        .selectFrom('users')
        .select(['id', 'display_name'])
        .where('id', 'in', [booking.judgeId, booking.clerkId])
        .execute(),
      this.#siteNames(booking),
    ]);
    const staffName = (id: string) => staff.find((s) => s.id === id)?.display_name ?? '';
    const participants: Participant[] = [
      { id: booking.judgeId, name: staffName(booking.judgeId), role: 'judge', client: 'judge', site: null },
      { id: booking.clerkId, name: staffName(booking.clerkId), role: 'clerk', client: 'judge', site: null },
      ...booking.participants.map((p): Participant => {
        const site = p.siteId ? sites.get(p.siteId) : undefined;
        return {
          id: p.id,
          name: p.name,
          role: p.role,
          client: site ? 'kiosk' : 'judge',
          site: site ?? null,
        };
      }),
    ];
    return {
      booking,
      hearing: {
        id: booking.id,
        caseNumber: booking.caseNumber,
        title: booking.title,
        court: court?.name ?? '',
        startsAt: booking.startsAt,
        endsAt: booking.endsAt,
        participants,
      },
    };
  }

  async #siteNames(booking: BookedHearing): Promise<Map<string, { id: string; name: string; county: string }>> {
    const ids = [...new Set(booking.participants.flatMap((p) => (p.siteId ? [p.siteId] : [])))];
    if (ids.length === 0) return new Map();
    const rows = await this.#db.selectFrom('sites').select(['id', 'name', 'county']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r]));
  }
}
