import {
  parseOffsetDateTime,
  SHANGHAI_OFFSET_MS,
  SHANGHAI_TIME_ZONE,
  toShanghaiIso,
} from '../../../shared/scheduling.js';

/*
 * Calendar arithmetic in Asia/Shanghai, whatever the browser's own time zone: the court's day is the
 * day shown. Dates travel as `YYYY-MM-DD` (what <input type="date"> gives), times as `HH:MM`.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}$/;

/** `2026-12-03` + `09:30` → `2026-12-03T09:30:00+08:00`; null when either is not a real date or time. */
export function shanghaiIso(date: string, time: string): string | null {
  if (!DATE.test(date) || !TIME.test(time)) return null;
  const iso = `${date}T${time}:00+08:00`;
  return parseOffsetDateTime(iso) === null ? null : iso;
}

/** The instant of a date and time in Asia/Shanghai, as epoch milliseconds; null when not valid. */
export function shanghaiMs(date: string, time: string): number | null {
  const iso = shanghaiIso(date, time);
  return iso === null ? null : parseOffsetDateTime(iso);
}

/** The Asia/Shanghai calendar date of an instant: `2026-12-03`. */
export function shanghaiDate(ms: number): string {
  return toShanghaiIso(ms).slice(0, 10);
}

/** The Asia/Shanghai wall-clock time of an instant: `09:30`. */
export function shanghaiTime(ms: number): string {
  return toShanghaiIso(ms).slice(11, 16);
}

/** The start of a `YYYY-MM-DD` day in Asia/Shanghai; null when it is not a date. */
export function dayStartMs(date: string): number | null {
  return shanghaiMs(date, '00:00');
}

/** The date `days` after (or before) a date. */
export function addDays(date: string, days: number): string {
  const start = dayStartMs(date);
  if (start === null) throw new TypeError(`not a date: ${JSON.stringify(date)}`);
  return shanghaiDate(start + days * DAY_MS);
}

/** The Monday of the week that contains the date. */
export function weekStart(date: string): string {
  const start = dayStartMs(date);
  if (start === null) throw new TypeError(`not a date: ${JSON.stringify(date)}`);
  // getUTCDay of the shifted instant is the Shanghai weekday, 0 = Sunday.
  const weekday = new Date(start + SHANGHAI_OFFSET_MS).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

/** `09:30–10:30` for a range within one day; with dates when it crosses midnight. */
export function timeRange(startMs: number, endMs: number): string {
  return shanghaiDate(startMs) === shanghaiDate(endMs)
    ? `${shanghaiTime(startMs)}–${shanghaiTime(endMs)}`
    : `${shanghaiDate(startMs)} ${shanghaiTime(startMs)} – ${shanghaiDate(endMs)} ${shanghaiTime(endMs)}`;
}

export interface DayGroup<T> {
  /** `YYYY-MM-DD` in Asia/Shanghai. */
  date: string;
  items: T[];
}

/** Items grouped by their Asia/Shanghai day, days and items in time order. */
export function groupByShanghaiDay<T>(items: readonly T[], startMs: (item: T) => number): DayGroup<T>[] {
  const sorted = [...items].sort((a, b) => startMs(a) - startMs(b));
  const groups: DayGroup<T>[] = [];
  for (const item of sorted) {
    const date = shanghaiDate(startMs(item));
    const last = groups.at(-1);
    if (last?.date === date) last.items.push(item);
    else groups.push({ date, items: [item] });
  }
  return groups;
}

/** A day heading in the reader's language, e.g. 12月3日 星期四 / Thursday, December 3. */
export function formatDay(date: string, language: string): string {
  const start = dayStartMs(date);
  if (start === null) return date;
  return new Intl.DateTimeFormat(language, {
    timeZone: SHANGHAI_TIME_ZONE,
    month: 'long',
    day: 'numeric',
    weekday: 'long',
  }).format(start);
}

/** Whether two half-open time ranges [start, end) share any instant. */
export function overlaps(a: { startMs: number; endMs: number }, b: { startMs: number; endMs: number }): boolean {
  return a.startMs < b.endMs && b.startMs < a.endMs;
}
