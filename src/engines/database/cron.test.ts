import { describe, expect, it } from 'vitest';
import { parseCron } from './cron.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('parseCron', () => {
  it('finds the next due minute (UTC)', () => {
    expect(iso(parseCron('0 0 * * *').next(at('2024-05-01T10:20:00Z')))).toBe('2024-05-02T00:00:00.000Z');
    expect(iso(parseCron('*/15 * * * *').next(at('2024-05-01T10:20:30Z')))).toBe('2024-05-01T10:30:00.000Z');
    expect(iso(parseCron('5 4 * * SUN').next(at('2024-05-01T00:00:00Z')))).toBe('2024-05-05T04:05:00.000Z');
    expect(iso(parseCron('0 12 1 JAN,jul ?').next(at('2024-05-01T00:00:00Z')))).toBe('2024-07-01T12:00:00.000Z');
    expect(iso(parseCron('0 9-17/4 * * MON-FRI').next(at('2024-05-03T14:00:00Z')))).toBe('2024-05-03T17:00:00.000Z');
  });

  it('is strictly after the given time', () => {
    expect(iso(parseCron('30 10 * * *').next(at('2024-05-01T10:30:00Z')))).toBe('2024-05-02T10:30:00.000Z');
  });

  it('ORs the day fields when both are restricted, as cron does', () => {
    // The 13th, or any Friday.
    expect(iso(parseCron('0 0 13 * FRI').next(at('2024-05-01T00:00:00Z')))).toBe('2024-05-03T00:00:00.000Z');
  });

  it('refuses bad expressions', () => {
    for (const bad of ['* * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 7', 'a * * * *', '*/0 * * * *', '@daily']) {
      expect(() => parseCron(bad)).toThrow();
    }
  });
});
