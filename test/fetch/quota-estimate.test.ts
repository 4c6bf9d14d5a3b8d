import { describe, expect, it } from 'vitest';
import { durationText, estimateText, quotaWaitMs, rateText } from '../../src/fetch/quota-estimate.js';

const CC = { tokensPerSecond: 1 / 15, capacity: 20 };

describe('quota estimate', () => {
  it.each([
    [45_000, '45 s'],
    [725_000, '12 m 05 s'],
    [7_500_000, '2 h 05 m'],
    [Infinity, 'unknown time'],
  ])('durationText(%s) = %s', (ms, text) => expect(durationText(ms)).toBe(text));

  it('says the rate as the bucket refills', () => {
    expect(rateText(CC)).toBe('1 request / 15 s');
    expect(rateText({ tokensPerSecond: 2, capacity: 20 })).toBe('2 requests / s');
    expect(rateText({ tokensPerSecond: 1, capacity: 20 })).toBe('1 request / s');
  });

  it('counts only the requests beyond the tokens in hand', () => {
    expect(quotaWaitMs(500, CC)).toBe(7_500_000);
    expect(quotaWaitMs(520, CC, 20)).toBe(7_500_000);
    expect(quotaWaitMs(5, CC, 20)).toBe(0);
    expect(estimateText(500, CC)).toBe('~2 h 05 m left at 1 request / 15 s');
  });
});
