import { jest } from '@jest/globals';
import { formatTimestamp } from '../../src/srp/index.js';
import { SrpError } from '../../src/errors.js';
import { DateHelper } from './oracle.js';

const TIMESTAMP = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [1-9]\d? \d\d:\d\d:\d\d UTC \d{4}$/;

/** An independent rendering through Intl (en-US, UTC), re-assembled in Cognito's order. */
function viaIntl(date: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: 'UTC',
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      year: 'numeric',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${parts.month} ${parts.day} ${parts.hour}:${parts.minute}:${parts.second} UTC ${parts.year}`;
}

describe('formatTimestamp', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  test('the documented example shape, day without a leading zero', () => {
    expect(formatTimestamp(new Date(Date.UTC(2025, 4, 7, 0, 9, 40)))).toBe('Wed May 7 00:09:40 UTC 2025');
    expect(formatTimestamp(new Date(Date.UTC(2024, 0, 1, 3, 4, 5)))).toBe('Mon Jan 1 03:04:05 UTC 2024');
    expect(formatTimestamp(new Date(Date.UTC(2024, 11, 31, 23, 59, 59)))).toBe('Tue Dec 31 23:59:59 UTC 2024');
  });

  test('days 1–31 of every month of a leap year (every weekday) match an Intl rendering', () => {
    const seenWeekdays = new Set<string>();
    const seenMonths = new Set<string>();
    for (let month = 0; month < 12; month++) {
      for (let day = 1; day <= 31; day++) {
        const date = new Date(Date.UTC(2024, month, day, (day * 7) % 24, (day * 13) % 60, (day * 17) % 60));
        if (date.getUTCMonth() !== month) continue;
        const text = formatTimestamp(date);
        expect(text).toBe(viaIntl(date));
        expect(text).toMatch(TIMESTAMP);
        expect(text.split(' ')[2]).toBe(String(day));
        seenWeekdays.add(text.slice(0, 3));
        seenMonths.add(text.slice(4, 7));
      }
    }
    expect(seenWeekdays.size).toBe(7);
    expect(seenMonths.size).toBe(12);
  });

  test.each(['Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Kolkata', 'Etc/GMT+12', 'UTC'])(
    'does not depend on the process time zone (TZ=%s)',
    (tz) => {
      process.env.TZ = tz;
      // 23:30 UTC on the 9th is already the 10th in Kiritimati (UTC+14) and the 9th in Los Angeles.
      const date = new Date(Date.UTC(2025, 1, 9, 23, 30, 0));
      expect(formatTimestamp(date)).toBe('Sun Feb 9 23:30:00 UTC 2025');
    },
  );

  test('equals amazon-cognito-identity-js DateHelper for the same instant', () => {
    const instants = [Date.UTC(2025, 4, 7, 0, 9, 40), Date.UTC(2026, 10, 22, 12, 0, 1), Date.UTC(2030, 8, 30, 9, 5, 0)];
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'] });
    try {
      for (const instant of instants) {
        jest.setSystemTime(instant);
        expect(formatTimestamp()).toBe(new DateHelper().getNowString());
        expect(formatTimestamp(new Date(instant))).toBe(new DateHelper().getNowString());
      }
    } finally {
      jest.useRealTimers();
    }
  });

  test('an invalid date raises SrpError', () => {
    expect(() => formatTimestamp(new Date('nope'))).toThrow(SrpError);
  });
});
