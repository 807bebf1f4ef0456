import { describe, expect, it } from 'vitest';
import { BookHearingInputSchema } from '../../../shared/scheduling.js';
import {
  type BookingForm,
  bookingInput,
  bookingProblems,
  clashesWith,
  emptyBookingForm,
  formSiteIds,
} from './bookingForm.js';

const COURT = 'court-linan';
const CLERK = 'clerk-li';

function filled(): BookingForm {
  return {
    ...emptyBookingForm('2026-12-03'),
    caseNumber: '(2026)浙0185民初1234号',
    title: '房屋租赁合同纠纷',
    judgeId: 'judge-wang',
    start: '09:30',
    end: '10:30',
    participants: [
      { role: 'plaintiff', name: '李建国', idTail: '1234', site: 'site-xiaoyuan' },
      { role: 'defendant', name: '赵丽', idTail: '567x', site: '' },
    ],
  };
}

describe('booking form', () => {
  it('sends +08:00 times and null for "at the court", and the shared schema accepts it', () => {
    const input = bookingInput(filled(), COURT, CLERK);
    expect(input.startsAt).toBe('2026-12-03T09:30:00+08:00');
    expect(input.endsAt).toBe('2026-12-03T10:30:00+08:00');
    expect(input.participants.map((p) => p.site)).toEqual(['site-xiaoyuan', null]);
    const parsed = BookHearingInputSchema.parse(input);
    expect(parsed.startMs).toBe(Date.UTC(2026, 11, 3, 1, 30));
    expect(bookingProblems(filled(), COURT, CLERK)).toEqual([]);
  });

  it('names each wrong field in words a clerk reads', () => {
    const form: BookingForm = {
      ...filled(),
      caseNumber: '1234',
      title: ' ',
      judgeId: '',
      end: '09:00',
      participants: [{ role: 'observer', name: '', idTail: '12', site: '' }],
    };
    expect(bookingProblems(form, COURT, CLERK)).toEqual([
      { field: 'time', reason: 'timeOrder' },
      { field: 'participants', reason: 'observerNotPublic' },
      { field: 'caseNumber', reason: 'caseNumber' },
      { field: 'title', reason: 'title' },
      { field: 'judge', reason: 'judge' },
      { field: 'participant.0.name', reason: 'participantName' },
      { field: 'participant.0.idTail', reason: 'participantIdTail' },
    ]);
    expect(bookingProblems({ ...filled(), start: '' }, COURT, CLERK)).toEqual([
      { field: 'time', reason: 'timeMissing' },
    ]);
    expect(bookingProblems({ ...filled(), participants: [] }, COURT, CLERK)).toEqual([
      { field: 'participants', reason: 'noParticipants' },
    ]);
  });

  it('lists each booked site once and finds the bookings that overlap the chosen time', () => {
    const form: BookingForm = {
      ...filled(),
      participants: [
        ...filled().participants,
        { role: 'witness', name: '王五', idTail: '9999', site: 'site-xiaoyuan' },
      ],
    };
    expect(formSiteIds(form)).toEqual(['site-xiaoyuan']);
    const booking = (caseNumber: string, from: string, to: string) => ({
      resource: 'judge' as const,
      resourceId: 'judge-wang',
      kioskId: null,
      hearingId: caseNumber,
      caseNumber,
      startMs: Date.parse(`2026-12-03T${from}:00+08:00`),
      endMs: Date.parse(`2026-12-03T${to}:00+08:00`),
    });
    const clashes = clashesWith(form, [
      booking('before', '08:00', '09:30'),
      booking('inside', '10:00', '11:00'),
      booking('after', '10:30', '11:30'),
    ]);
    expect(clashes.map((c) => c.caseNumber)).toEqual(['inside']);
    expect(clashesWith({ ...form, end: '' }, [booking('inside', '10:00', '11:00')])).toEqual([]);
  });
});
