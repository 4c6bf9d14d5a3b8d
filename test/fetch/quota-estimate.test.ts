import { describe, expect, it } from 'vitest';
import { durationText, estimateText, QuotaEstimates, quotaWaitMs, rateText } from '../../src/fetch/quota-estimate.js';

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

describe('quota estimates of a statement', () => {
  const event = (resourceId: string, source: string, pagesLeft: number, tokens = 0, limits = CC) =>
    ({ kind: 'estimate', resourceId, source, pagesLeft, limits, tokens }) as const;

  it('adds the pages of calls that share a provider bucket, and forgets calls that finished', () => {
    const q = new QuotaEstimates();
    q.update(event('cloudconnexa.vpn.users', 'a', 100));
    q.update(event('cloudconnexa.vpn.devices', 'b', 20));
    expect(q.text()).toBe('~30 m 00 s left at 1 request / 15 s');
    q.update(event('cloudconnexa.vpn.users', 'a', 0));
    expect(q.text()).toBe('~5 m 00 s left at 1 request / 15 s');
  });

  it('says nothing while the pages left fit in the tokens in hand', () => {
    const q = new QuotaEstimates();
    q.update(event('cloudconnexa.vpn.users', 'a', 12, 20));
    expect(q.text()).toBeUndefined();
    q.update(event('cloudconnexa.vpn.users', 'a', 32, 20));
    expect(q.text()).toBe('~3 m 00 s left at 1 request / 15 s');
  });

  it('shows the slowest provider when several are quota-bound', () => {
    const q = new QuotaEstimates();
    q.update(event('cloudconnexa.vpn.users', 'a', 10));
    q.update(event('azure.network.bastion_hosts', 'b', 1000, 0, { tokensPerSecond: 25, capacity: 250 }));
    expect(q.text()).toBe('~2 m 30 s left at 1 request / 15 s');
    q.clear();
    expect(q.text()).toBeUndefined();
  });
});
