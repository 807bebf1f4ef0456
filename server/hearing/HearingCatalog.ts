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
    const [entry] = await this.entries([booking]);
    return entry;
  }

  /**
   * The court's hearings (not cancelled) that overlap [fromMs, toMs), by start: the clerk's and the
   * judges' live console. A fixed number of queries however many hearings the day holds.
   */
  async forCourt(courtId: string, fromMs: number, toMs: number): Promise<CatalogEntry[]> {
    return this.entries(await this.#scheduler.listForCourt(courtId, fromMs, toMs));
  }

  /** The entries of these bookings, in their order: three queries for the names of all of them. */
  async entries(bookings: readonly BookedHearing[]): Promise<CatalogEntry[]> {
    if (bookings.length === 0) return [];
    const courtIds = [...new Set(bookings.map((b) => b.courtId))];
    const staffIds = [...new Set(bookings.flatMap((b) => [b.judgeId, b.clerkId]))];
    const siteIds = [...new Set(bookings.flatMap((b) => b.participants.flatMap((p) => (p.siteId ? [p.siteId] : []))))];
    const [courts, staff, sites] = await Promise.all([
      this.#db.selectFrom('courts').select(['id', 'name']).where('id', 'in', courtIds).execute(),
      this.#db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', staffIds).execute(),
      siteIds.length === 0
        ? Promise.resolve([])
        : this.#db.selectFrom('sites').select(['id', 'name', 'county']).where('id', 'in', siteIds).execute(),
    ]);
    const courtName = new Map(courts.map((c) => [c.id, c.name]));
    const staffName = new Map(staff.map((u) => [u.id, u.display_name]));
    const siteOf = new Map(sites.map((r) => [r.id, r]));
    return bookings.map((booking) => {
      const participants: Participant[] = [
        {
          id: booking.judgeId,
          name: staffName.get(booking.judgeId) ?? '',
          role: 'judge',
          client: 'judge',
          site: null,
        },
        {
          id: booking.clerkId,
          name: staffName.get(booking.clerkId) ?? '',
          role: 'clerk',
          client: 'judge',
          site: null,
        },
        ...booking.participants.map((p): Participant => {
          const site = p.siteId ? siteOf.get(p.siteId) : undefined;
          return { id: p.id, name: p.name, role: p.role, client: site ? 'kiosk' : 'judge', site: site ?? null };
        }),
      ];
      return {
        booking,
        hearing: {
          id: booking.id,
          caseNumber: booking.caseNumber,
          title: booking.title,
          court: courtName.get(booking.courtId) ?? '',
          startsAt: booking.startsAt,
          endsAt: booking.endsAt,
          participants,
        },
      };
    });
  }
}
