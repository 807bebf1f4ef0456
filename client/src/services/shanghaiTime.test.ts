import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayStartMs,
  groupByShanghaiDay,
  overlaps,
  shanghaiDate,
  shanghaiIso,
  shanghaiMs,
  shanghaiTime,
  timeRange,
  weekStart,
} from './shanghaiTime.js';

describe('Asia/Shanghai dates and times', () => {
  it('turns a date and a time into ISO 8601 with +08:00', () => {
    expect(shanghaiIso('2026-12-03', '09:30')).toBe('2026-12-03T09:30:00+08:00');
    expect(shanghaiMs('2026-12-03', '09:30')).toBe(Date.UTC(2026, 11, 3, 1, 30));
  });

  it('refuses incomplete or impossible dates and times', () => {
    expect(shanghaiIso('', '09:30')).toBeNull();
    expect(shanghaiIso('2026-12-03', '')).toBeNull();
    expect(shanghaiIso('2026-02-30', '09:30')).toBeNull();
    expect(shanghaiIso('2026-12-03', '24:00')).toBeNull();
    expect(shanghaiIso('2026-12-03', '9:30')).toBeNull();
  });

  it('reads instants back as Shanghai wall-clock date and time, across the UTC midnight', () => {
    // 2026-12-02 17:30 UTC is 01:30 on 12-03 in Shanghai.
    const ms = Date.UTC(2026, 11, 2, 17, 30);
    expect(shanghaiDate(ms)).toBe('2026-12-03');
    expect(shanghaiTime(ms)).toBe('01:30');
    expect(dayStartMs('2026-12-03')).toBe(Date.UTC(2026, 11, 2, 16, 0));
  });

  it('steps days across month and year ends, and finds the Monday of a week', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    // 2026-12-03 is a Thursday; 2026-12-07 a Monday; 2026-12-06 a Sunday.
    expect(weekStart('2026-12-03')).toBe('2026-11-30');
    expect(weekStart('2026-12-07')).toBe('2026-12-07');
    expect(weekStart('2026-12-06')).toBe('2026-11-30');
  });

  it('formats ranges, with dates only when they cross midnight', () => {
    const start = shanghaiMs('2026-12-03', '09:30') ?? 0;
    expect(timeRange(start, start + 3_600_000)).toBe('09:30–10:30');
    expect(timeRange(shanghaiMs('2026-12-03', '23:00') ?? 0, shanghaiMs('2026-12-04', '01:00') ?? 0)).toBe(
      '2026-12-03 23:00 – 2026-12-04 01:00',
    );
  });

  it('groups by the Shanghai day in time order', () => {
    const at = (date: string, time: string) => ({ id: `${date} ${time}`, startMs: shanghaiMs(date, time) ?? 0 });
    const groups = groupByShanghaiDay(
      [at('2026-12-04', '09:00'), at('2026-12-03', '14:00'), at('2026-12-03', '00:30'), at('2026-12-03', '09:00')],
      (h) => h.startMs,
    );
    expect(groups.map((g) => [g.date, g.items.map((h) => h.id)])).toEqual([
      ['2026-12-03', ['2026-12-03 00:30', '2026-12-03 09:00', '2026-12-03 14:00']],
      ['2026-12-04', ['2026-12-04 09:00']],
    ]);
  });

  it('treats ranges as half-open: back-to-back hearings do not overlap', () => {
    expect(overlaps({ startMs: 0, endMs: 10 }, { startMs: 10, endMs: 20 })).toBe(false);
    expect(overlaps({ startMs: 0, endMs: 11 }, { startMs: 10, endMs: 20 })).toBe(true);
    expect(overlaps({ startMs: 12, endMs: 13 }, { startMs: 10, endMs: 20 })).toBe(true);
  });
});
