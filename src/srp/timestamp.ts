import { SrpError } from '../errors.js';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * The TIMESTAMP Cognito expects: `EEE MMM d HH:mm:ss 'UTC' yyyy` in English, in UTC, the day of the month without
 * a leading zero. Independent of the process locale and time zone.
 *
 * @example formatTimestamp(new Date(Date.UTC(2025, 4, 7, 0, 9, 40))) // 'Wed May 7 00:09:40 UTC 2025'
 */
export function formatTimestamp(date: Date = new Date()): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new SrpError('TIMESTAMP', 'the date to format must be a valid Date.');
  }
  const weekday = WEEKDAYS[date.getUTCDay()] as string;
  const month = MONTHS[date.getUTCMonth()] as string;
  const time = `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}`;
  return `${weekday} ${month} ${date.getUTCDate()} ${time} UTC ${date.getUTCFullYear()}`;
}
