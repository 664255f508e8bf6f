import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPlatform, testPlatform } from '../support/platform';

let p: TestPlatform;
beforeAll(async () => {
  p = await testPlatform();
});
afterAll(() => p?.stop());

describe('published calls', () => {
  it('lists the seeded calls of both kinds to the public', async () => {
    const res = await p.api('GET', '/public/calls');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { kind: string }[] };
    expect(body.items.map((c) => c.kind).sort()).toEqual(['purchase', 'venture']);
  });

  it('shows an officer the calls of their own jurisdiction only', async () => {
    const token = await p.signIn('xun-officer');
    const res = await p.api('GET', '/calls', { token });
    const body = (await res.json()) as { items: { jurisdictionId: string }[] };
    expect(body.items.map((c) => c.jurisdictionId)).toEqual(['410621']);
  });
});
