import { z } from 'zod';
import { PROBLEMS } from './problems.js';

/*
 * A check-in the server refused, carried from the hearing route back to the kiosk's keypad (the
 * keypad shows the sentence instead of an error page). Kept for this tab only (sessionStorage).
 */

const KEY = 'shared-court.kiosk.check-in-refusal';

const RefusalSchema = z.object({
  hearingId: z.string(),
  participantId: z.string(),
  /** The ID tail that was typed, kept when only the PIN was wrong. */
  idTail: z.string(),
  problem: z.enum(PROBLEMS),
  step: z.enum(['idTail', 'pin']),
});
export type StoredRefusal = z.infer<typeof RefusalSchema>;

export function storeRefusal(refusal: StoredRefusal): void {
  sessionStorage.setItem(KEY, JSON.stringify(refusal));
}

/** The refusal waiting to be shown, if any (read without removing it; see `clearRefusal`). */
export function storedRefusal(): StoredRefusal | null {
  try {
    const parsed = RefusalSchema.safeParse(JSON.parse(sessionStorage.getItem(KEY) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function clearRefusal(): void {
  sessionStorage.removeItem(KEY);
}
