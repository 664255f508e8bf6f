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

describe('reference data', () => {
  it("pages through Xun County's eleven stations with a cursor", async () => {
    const first = (await (await p.api('GET', '/jurisdictions/410621/stations?limit=6')).json()) as {
      items: { name: string }[];
      nextCursor: string;
    };
    expect(first.items).toHaveLength(6);
    const rest = (await (
      await p.api('GET', `/jurisdictions/410621/stations?limit=6&cursor=${first.nextCursor}`)
    ).json()) as { items: { name: string }[] };
    expect(rest.items).toHaveLength(5);
    expect([...first.items, ...rest.items].map((s) => s.name)).toContain('小河镇社会工作服务站');
  });

  it('lists a county with its townships', async () => {
    const xun = (await (await p.api('GET', '/jurisdictions/410621')).json()) as {
      level: string;
      children: unknown[];
    };
    expect(xun.level).toBe('county');
    expect(xun.children).toHaveLength(11);
  });
});
