// Local calendar dates (YYYY-MM-DD in the learner's time zone) and whole days between them.
// Arithmetic is done on the date alone (as UTC midnights), so a daylight-saving change, which
// makes a local day 23 or 25 hours long, never moves a date.
const DAY_MS = 24 * 60 * 60_000;

/** YYYY-MM-DD of a moment in the local time zone. */
export function localDate(moment: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
}

/** Whole calendar days from one local date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** "today", "yesterday", "tomorrow", a weekday within the week either side, else the date. */
export function describeDate(date: string, today: string): string {
  const offset = daysBetween(today, date);
  if (offset === 0) return "today";
  if (offset === -1) return "yesterday";
  if (offset === 1) return "tomorrow";
  if (Math.abs(offset) < 7) return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? date;
  return date;
}
