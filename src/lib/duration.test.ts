import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseDurationSeconds } from './duration.js';

describe('parseDurationSeconds', () => {
  it.each([
    [3600, 3600], ['3600', 3600], ['1.5h', 5400], ['720h', 2592000], ['30d', 2592000], ['1h30m', 5400], ['90s', 90], ['1500ms', 1], ['0', 0], ['', 0], [' 45s ', 45],
  ])('%j → %i seconds', (input, seconds) => {
    expect(parseDurationSeconds(input)).toBe(seconds);
  });

  it.each([['forever'], ['-5s'], [-1], ['1x'], ['h'], [true], [{}], [Number.NaN]])('refuses %j with invalid_request', (input) => {
    expect(() => parseDurationSeconds(input, 'ttl')).toThrow(/ttl/);
  });
});

describe('formatGoDuration', () => {
  it.each([[0, '0s'], [45, '45s'], [1800, '30m0s'], [2764800, '768h0m0s'], [3661, '1h1m1s']])('%i → %s', (s, text) => {
    expect(formatGoDuration(s)).toBe(text);
  });
});
