import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelayMs } from '../../../shared/domain/webhooks/retry-policy.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const noJitter = () => 0;

describe('webhook retry policy', () => {
  it('doubles the wait from 1 s on each retry', () => {
    // Act
    const waits = [1, 2, 3, 4].map((attempt) => retryDelayMs(DEFAULT_RETRY_POLICY, attempt, { status: 500 }, NOW, noJitter));

    // Assess
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never waits longer than the cap', () => {
    // Act & Assess
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 20, { status: 502 }, NOW, noJitter)).toBe(60_000);
  });

  it('adds up to jitterMs of random time', () => {
    // Act & Assess
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 1, {}, NOW, () => 1)).toBe(1250);
  });

  it.each([429, 503])('honours Retry-After in seconds on %i', (status) => {
    // Act & Assess
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 1, { status, retryAfterHeader: '7' }, NOW, noJitter)).toBe(7000);
  });

  it('honours Retry-After as an HTTP date', () => {
    // Prepare
    const in30s = new Date(NOW + 30_000).toUTCString();

    // Act & Assess
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 1, { status: 429, retryAfterHeader: in30s }, NOW, noJitter)).toBe(30_000);
  });

  it('ignores Retry-After on other statuses, as urllib3 does', () => {
    // Act & Assess
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 1, { status: 500, retryAfterHeader: '7' }, NOW, noJitter)).toBe(1000);
  });

  it('caps Retry-After too', () => {
    // Act & Assess
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 1, { status: 503, retryAfterHeader: '86400' }, NOW, noJitter)).toBe(60_000);
  });

  it('reads a past date as "now" and an unreadable value as absent', () => {
    // Act & Assess
    expect(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });

  it.each([
    [408, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [404, false],
    [410, false],
  ])('treats status %i as retryable: %s', (status, retryable) => {
    // Act & Assess
    expect(isRetryableStatus(status)).toBe(retryable);
  });
});
