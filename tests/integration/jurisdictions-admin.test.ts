import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../shared/contracts/model';
import { contractItem } from '../../shared/contracts/repository';
import { type TestPlatform, testPlatform } from '../support/platform';
import { PageClient } from '../support/web';

let p: TestPlatform;
let admin: string;
let xun: string;
let yc: string;

type Json = Record<string, unknown> & { errors?: { field: string }[] };
const json = async (res: Response) => (await res.json()) as Json;
const fieldsOf = (body: Json) => (body.errors ?? []).map((e) => e.field);

beforeAll(async () => {
  p = await testPlatform();
  [admin, xun, yc] = await Promise.all([p.signIn('admin'), p.signIn('xun-officer'), p.signIn('yc-officer')]);
});
afterAll(() => p?.stop());

const create = (body: Record<string, unknown>, token = admin) =>
  p.api('POST', '/admin/jurisdictions', { token, body });

/** Asserts a problem+json answer and returns its body. */
async function problem(res: Response, status: number): Promise<Json> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  return json(res);
}

describe('the tree gains the province on top', () => {
  it('the demo cities sit under their provinces, with their paths unchanged', async () => {
    const henan = await json(await p.api('GET', '/jurisdictions/410000'));
    expect(henan).toMatchObject({ level: 'province', name: '河南省', path: '41' });
    expect((henan.children as { id: string }[]).map((c) => c.id)).toEqual(['410600']);
    const hebi = await json(await p.api('GET', '/jurisdictions/410600'));
    expect(hebi).toMatchObject({ level: 'city', parentId: '410000', path: '410600/' });
    const top = await json(await p.api('GET', '/admin/jurisdictions', { token: admin }));
    expect((top.items as { id: string }[]).map((j) => j.id).sort()).toEqual(
      expect.arrayContaining(['410000', '640000']),
    );
  });
});

describe('administrators edit the tree at any level', () => {
  const chain = [
    { id: '130000', name: '河北省', nameEn: 'Hebei Province', level: 'province' },
    { id: '130100', name: '石家庄市', nameEn: 'Shijiazhuang', level: 'city', parentId: '130000' },
    { id: '130102', name: '长安区', nameEn: "Chang'an District", level: 'county', parentId: '130100' },
    { id: '130102001', name: '建北街道', nameEn: 'Jianbei Street', level: 'township', parentId: '130102' },
    {
      id: '130102001001',
      name: '光华社区',
      nameEn: 'Guanghua Community',
      level: 'village',
      parentId: '130102001',
    },
  ];

  it('creates a province → city → county → township → village chain with valid codes', async () => {
    const paths: string[] = [];
    for (const j of chain) {
      const res = await create(j);
      expect(res.status, JSON.stringify(j)).toBe(201);
      const body = await json(res);
      expect(body).toMatchObject({ ...j, version: 1 });
      paths.push(String(body.path));
    }
    expect(paths).toEqual([
      '13',
      '130100/',
      '130100/130102/',
      '130100/130102/130102001/',
      '130100/130102/130102001/130102001001/',
    ]);
    const county = await json(await p.api('GET', '/admin/jurisdictions/130102', { token: admin }));
    expect((county.children as { id: string }[]).map((c) => c.id)).toEqual(['130102001']);
    // The public read sees the new division as well.
    expect((await p.api('GET', '/jurisdictions/130102001')).status).toBe(200);
  });

  it('refuses bad codes with the failing field, and stores nothing', async () => {
    const bad: [Record<string, unknown>, number, string][] = [
      // wrong length for the level
      [{ id: '1301', name: '坏', level: 'province' }, 422, 'body.id'],
      [{ id: '1301000', name: '坏', level: 'city', parentId: '130000' }, 422, 'body.id'],
      [{ id: '130102002', name: '坏', level: 'county', parentId: '130100' }, 422, 'body.id'],
      [{ id: '130102', name: '坏', level: 'township', parentId: '130102' }, 422, 'body.id'],
      [{ id: '130102001', name: '坏', level: 'village', parentId: '130102001' }, 422, 'body.id'],
      // not under the parent's code
      [{ id: '140200', name: '坏', level: 'city', parentId: '130000' }, 422, 'body.id'],
      [{ id: '130203', name: '坏', level: 'county', parentId: '130100' }, 422, 'body.id'],
      [{ id: '130103001', name: '坏', level: 'township', parentId: '130102' }, 422, 'body.id'],
      // unknown parent, missing parent, level skipped
      [{ id: '150100', name: '坏', level: 'city', parentId: '150000' }, 422, 'body.parentId'],
      [{ id: '130104', name: '坏', level: 'county' }, 422, 'body.parentId'],
      [{ id: '130104', name: '坏', level: 'county', parentId: '130000' }, 422, 'body.level'],
      // unknown level
      [{ id: '130104', name: '坏', level: 'district', parentId: '130100' }, 422, 'body.level'],
    ];
    for (const [body, status, field] of bad) {
      const res = await create(body);
      const prob = await problem(res, status);
      expect(fieldsOf(prob), JSON.stringify(body)).toContain(field);
      const stored = await p.api('GET', `/admin/jurisdictions/${String(body.id)}`, { token: admin });
      // The only ids that exist are the ones created above (left as they were).
      if (!['130102', '130102001'].includes(String(body.id)))
        expect(stored.status, String(body.id)).toBe(404);
    }
  });

  it('refuses a duplicate code with 409 naming the field, and keeps the original', async () => {
    const prob = await problem(await create({ ...chain[2]!, name: '重复区' }), 409);
    expect(prob.field).toBe('body.id');
    expect(String(prob.detail)).toContain('130102');
    const kept = await json(await p.api('GET', '/admin/jurisdictions/130102', { token: admin }));
    expect(kept).toMatchObject({ name: '长安区', version: 1 });
  });

  it('renames a division with its version; a stale version gets 409 and changes nothing', async () => {
    const res = await p.api('PATCH', '/admin/jurisdictions/410621', {
      token: admin,
      body: { version: 1, name: '浚县（更名）' },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ name: '浚县（更名）', version: 2, path: '410600/410621/' });
    const stale = await problem(
      await p.api('PATCH', '/admin/jurisdictions/410621', {
        token: admin,
        body: { version: 1, name: '别名' },
      }),
      409,
    );
    expect(stale.type).toMatch(/stale-version/);
    expect(await json(await p.api('GET', '/jurisdictions/410621'))).toMatchObject({ name: '浚县（更名）' });
    // Nothing to change, unknown fields (codes are fixed), unknown division.
    const empty = await problem(
      await p.api('PATCH', '/admin/jurisdictions/410621', { token: admin, body: { version: 2 } }),
      422,
    );
    expect(fieldsOf(empty)).toEqual(['body.name']);
    await problem(
      await p.api('PATCH', '/admin/jurisdictions/410621', {
        token: admin,
        body: { version: 2, id: '410622' },
      }),
      422,
    );
    await problem(
      await p.api('PATCH', '/admin/jurisdictions/419999', { token: admin, body: { version: 1, name: 'x' } }),
      404,
    );
    // Restore the name for the other tests of this file.
    const back = await p.api('PATCH', '/admin/jurisdictions/410621', {
      token: admin,
      body: { version: 2, name: '浚县' },
    });
    expect(back.status).toBe(200);
  });

  it('is for administrators only: other roles get 403', async () => {
    for (const user of [
      'xun-officer',
      'yc-officer',
      'xun-finance',
      'xun-auditor',
      'qicai-applicant',
      'expert-zhang',
    ]) {
      const token = await p.signIn(user);
      await problem(await create({ id: '420000', name: '湖北省', level: 'province' }, token), 403);
      await problem(await p.api('GET', '/admin/jurisdictions', { token }), 403);
      await problem(
        await p.api('PATCH', '/admin/jurisdictions/410621', { token, body: { version: 1, name: 'x' } }),
        403,
      );
    }
    expect((await p.api('GET', '/admin/jurisdictions/420000', { token: admin })).status).toBe(404);
  });
});

describe('county officers keep the stations of their subtree', () => {
  let stationId = '';

  it('creates a station in a township of the county, with address, staff and feature', async () => {
    const res = await p.api('POST', '/stations', {
      token: xun,
      body: {
        jurisdictionId: '410621104',
        name: '小河镇第二社会工作服务站',
        address: '浚县小河镇文化街 8 号',
        staffCount: 3,
        feature: '四点半课堂',
      },
    });
    expect(res.status).toBe(201);
    const st = await json(res);
    expect(st).toMatchObject({
      jurisdictionId: '410621104',
      jurisdictionPath: '410600/410621/410621104/',
      staffCount: 3,
      feature: '四点半课堂',
      status: 'open',
      version: 1,
    });
    stationId = String(st.id);
    const list = await json(await p.api('GET', '/jurisdictions/410621104/stations'));
    expect((list.items as { id: string }[]).map((s) => s.id)).toContain(stationId);
  });

  it('refuses bad station input precisely, storing nothing', async () => {
    const before = await json(await p.api('GET', '/jurisdictions/410621/stations?limit=100'));
    const cases: [Record<string, unknown>, string][] = [
      [{ jurisdictionId: '410621104', name: '' }, 'body.name'],
      [{ jurisdictionId: '410621104', name: '站', staffCount: -1 }, 'body.staffCount'],
      [{ jurisdictionId: '410621104', name: '站', staffCount: 2.5 }, 'body.staffCount'],
      [{ jurisdictionId: '640104003', name: '站' }, 'body.jurisdictionId'], // another county's township
      [{ jurisdictionId: '419999999', name: '站' }, 'body.jurisdictionId'], // unknown
      [{ jurisdictionId: '410621', name: '站' }, 'body.jurisdictionId'], // a county, not a township
      [{ jurisdictionId: '410621104', name: '站', colour: 'red' }, 'body'],
    ];
    for (const [body, field] of cases) {
      const prob = await problem(await p.api('POST', '/stations', { token: xun, body }), 422);
      expect(fieldsOf(prob).join(' '), JSON.stringify(body)).toContain(field);
    }
    const after = await json(await p.api('GET', '/jurisdictions/410621/stations?limit=100'));
    expect((after.items as unknown[]).length).toBe((before.items as unknown[]).length);
  });

  it('edits name, address, staff count and feature with its version; stale → 409', async () => {
    const res = await p.api('PATCH', `/stations/${stationId}`, {
      token: xun,
      body: {
        version: 1,
        name: '小河镇文化街社工站',
        address: '浚县小河镇文化街 10 号',
        staffCount: 4,
        feature: null,
      },
    });
    expect(res.status).toBe(200);
    const st = await json(res);
    expect(st).toMatchObject({ name: '小河镇文化街社工站', staffCount: 4, version: 2 });
    expect(st.feature).toBeUndefined();
    const stale = await problem(
      await p.api('PATCH', `/stations/${stationId}`, { token: xun, body: { version: 1, staffCount: 9 } }),
      409,
    );
    expect(stale.type).toMatch(/stale-version/);
    await problem(
      await p.api('PATCH', `/stations/${stationId}`, { token: xun, body: { version: 2, status: 'gone' } }),
      422,
    );
    expect(await json(await p.api('GET', `/stations/${stationId}`, { token: xun }))).toMatchObject({
      staffCount: 4,
      version: 2,
    });
  });

  it('edits a bulk-loaded station too (it reads as version 1, open)', async () => {
    const st = await json(await p.api('GET', '/stations/st-410621107', { token: xun }));
    expect(st).toMatchObject({ feature: '爱心小屋 (the caring hut)', status: 'open', version: 1 });
    const res = await p.api('PATCH', '/stations/st-410621107', {
      token: xun,
      body: { version: 1, staffCount: 2 },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      staffCount: 2,
      version: 2,
      feature: '爱心小屋 (the caring hut)',
    });
  });

  it("cannot see or touch another county's station (404, as if missing)", async () => {
    for (const [token, id] of [
      [xun, 'st-640104003'],
      [yc, stationId],
    ] as const) {
      await problem(await p.api('GET', `/stations/${id}`, { token }), 404);
      await problem(await p.api('PATCH', `/stations/${id}`, { token, body: { version: 1, name: 'x' } }), 404);
      await problem(await p.api('DELETE', `/stations/${id}?version=1`, { token }), 404);
    }
    expect(await json(await p.api('GET', '/stations/st-640104003', { token: yc }))).toMatchObject({
      version: 1,
    });
  });

  it('a township officer may not manage stations (403); other roles neither', async () => {
    const made = await p.api('POST', '/admin/users', {
      token: admin,
      body: {
        username: 'xiaohe-officer',
        password: 'xiaohe-officer-2026',
        name: '小河镇 干事',
        role: 'officer',
        jurisdictionId: '410621104',
      },
    });
    expect(made.status).toBe(201);
    const township = await p.signIn('xiaohe-officer', 'xiaohe-officer-2026');
    await problem(
      await p.api('PATCH', `/stations/${stationId}`, { token: township, body: { version: 2, name: 'x' } }),
      403,
    );
    await problem(
      await p.api('POST', '/stations', {
        token: township,
        body: { jurisdictionId: '410621104', name: '站' },
      }),
      403,
    );
    for (const user of ['xun-finance', 'xun-auditor', 'qicai-applicant']) {
      const token = await p.signIn(user);
      await problem(
        await p.api('PATCH', `/stations/${stationId}`, { token, body: { version: 2, name: 'x' } }),
        403,
      );
    }
  });

  it('closing keeps the station and its audit history', async () => {
    const res = await p.api('PATCH', `/stations/${stationId}`, {
      token: xun,
      body: { version: 2, status: 'closed' },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'closed', version: 3 });
    expect(await json(await p.api('GET', `/stations/${stationId}`, { token: xun }))).toMatchObject({
      status: 'closed',
      name: '小河镇文化街社工站',
    });
    const list = await json(await p.api('GET', '/jurisdictions/410621104/stations'));
    expect((list.items as { id: string; status?: string }[]).find((s) => s.id === stationId)?.status).toBe(
      'closed',
    );
    const auditor = await p.signIn('xun-auditor');
    const chain = await json(
      await p.api('GET', `/audit/chains/${encodeURIComponent(`STATION#${stationId}`)}`, { token: auditor }),
    );
    expect((chain.items as { action: string }[]).map((e) => e.action)).toEqual([
      'station.created',
      'station.updated',
      'station.closed',
    ]);
    expect(chain.verification).toMatchObject({ ok: true, entries: 3, rootPresent: true });
  });

  it('a station serving an active contract cannot be deleted (409 naming the contracts)', async () => {
    const contract = {
      id: 'ct-test-xiaohe',
      jurisdictionId: '410621',
      jurisdictionPath: '410600/410621/',
      orgId: p.demo.orgs.qicai,
      stationIds: ['st-410621104', stationId],
      status: 'active',
      signedAt: '2026-03-01T00:00:00.000Z',
      version: 1,
    } as unknown as Contract;
    const done = { ...contract, id: 'ct-test-done', status: 'completed' } as Contract;
    for (const c of [contract, done])
      await p.deps.doc.send(new PutCommand({ TableName: p.deps.config.tableName, Item: contractItem(c) }));
    const prob = await problem(
      await p.api('DELETE', `/stations/${stationId}?version=3`, { token: xun }),
      409,
    );
    expect(prob.contracts).toEqual(['ct-test-xiaohe']);
    expect(String(prob.detail)).toContain('ct-test-xiaohe');
    expect((await p.api('GET', `/stations/${stationId}`, { token: xun })).status).toBe(200);
    // Once the contract is completed, the station can go.
    await p.deps.doc.send(
      new PutCommand({
        TableName: p.deps.config.tableName,
        Item: contractItem({ ...contract, status: 'completed' } as Contract),
      }),
    );
    await problem(await p.api('DELETE', `/stations/${stationId}?version=2`, { token: xun }), 409);
    const res = await p.api('DELETE', `/stations/${stationId}?version=3`, { token: xun });
    expect(res.status).toBe(204);
    await problem(await p.api('GET', `/stations/${stationId}`, { token: xun }), 404);
    const list = await json(await p.api('GET', '/jurisdictions/410621104/stations'));
    expect((list.items as { id: string }[]).map((s) => s.id)).not.toContain(stationId);
    // Its history stays verifiable.
    const auditor = await p.signIn('xun-auditor');
    const chain = await json(
      await p.api('GET', `/audit/chains/${encodeURIComponent(`STATION#${stationId}`)}`, { token: auditor }),
    );
    expect((chain.items as { action: string }[]).at(-1)?.action).toBe('station.deleted');
    expect(chain.verification).toMatchObject({ ok: true, entries: 4 });
  });

  it('deletes a station without contracts; an administrator manages any station', async () => {
    const made = await json(
      await p.api('POST', '/stations', {
        token: admin,
        body: { jurisdictionId: '640104003', name: '胜利街道第二站' },
      }),
    );
    expect(made).toMatchObject({ status: 'open', version: 1 });
    const res = await p.api('DELETE', `/stations/${String(made.id)}?version=1`, { token: yc });
    expect(res.status).toBe(204);
    await problem(await p.api('GET', `/stations/${String(made.id)}`, { token: admin }), 404);
    await problem(await p.api('DELETE', `/stations/${String(made.id)}?version=2`, { token: yc }), 404);
    await problem(await p.api('DELETE', '/stations/st-640104003', { token: yc }), 422);
  });
});

describe('pages', () => {
  it('an administrator adds and renames a division on /system/jurisdictions', async () => {
    const web = await new PageClient(p).signIn('admin');
    const top = await web.req('GET', '/system/jurisdictions');
    expect(top.status).toBe(200);
    expect(await top.text()).toContain('河南省');
    const bad = await web.post('/system/jurisdictions', {
      divisionCode: '4101',
      divisionName: '郑州市',
      level: 'city',
      parentId: '410000',
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('6 位数字');
    const made = await web.post('/system/jurisdictions', {
      divisionCode: '410100',
      divisionName: '郑州市',
      divisionNameEn: 'Zhengzhou',
      level: 'city',
      parentId: '410000',
      fromParent: '1',
    });
    expect(made.status).toBe(303);
    expect(made.headers.get('location')).toBe('/system/jurisdictions/410100?done=jurisdiction-created');
    const renamed = await web.post('/system/jurisdictions/410100', { version: '1', divisionName: '郑州' });
    expect(renamed.status).toBe(303);
    const stale = await web.post('/system/jurisdictions/410100', { version: '1', divisionName: '郑州市' });
    expect(stale.status).toBe(409);
    expect(await json(await p.api('GET', '/jurisdictions/410100'))).toMatchObject({
      name: '郑州',
      path: '410100/',
    });
  });

  it('a county officer sets up, edits, closes and deletes a station on /officer/stations', async () => {
    const web = await new PageClient(p).signIn('xun-officer');
    const list = await web.req('GET', '/officer/stations');
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('白寺镇社会工作服务站');
    const bad = await web.post('/officer/stations', { jurisdictionId: '410621105', stationName: '' });
    expect(bad.status).toBe(422);
    const made = await web.post('/officer/stations', {
      jurisdictionId: '410621105',
      stationName: '卫贤镇第二社工站',
      staffCount: '2',
      feature: '护童微座谈',
    });
    expect(made.status).toBe(303);
    const where = made.headers.get('location') ?? '';
    expect(where).toMatch(/^\/officer\/stations\/st-410621105-[\w-]+\?done=station-created$/);
    const path = where.split('?')[0]!;
    const saved = await web.post(path, {
      version: '1',
      stationName: '卫贤镇第二社工站',
      address: '卫贤镇政府东',
      staffCount: '3',
      feature: '护童微座谈',
      stationStatus: 'closed',
    });
    expect(saved.status).toBe(303);
    const page = await (await web.req('GET', path)).text();
    expect(page).toContain('卫贤镇政府东');
    expect(page).toContain('已关闭');
    const deleted = await web.post(`${path}/delete`, { version: '2' });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe('/officer/stations?done=station-deleted');
    expect((await web.req('GET', path)).status).toBe(404);
  });
});
