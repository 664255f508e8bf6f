import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../shared/reports/model';
import {
  type ContractJson,
  figures,
  finalAward,
  purchaseTargets,
  signContract,
  YUAN,
} from '../support/contracts';
import { type TestPlatform, testPlatform } from '../support/platform';

/**
 * Evidence documents of milestone reports on real moto: declared on a submitted or returned
 * report (presigned PUT with type and length signed), downloaded through a presigned GET by the
 * organization and the contract's oversight, never by another organization or jurisdiction;
 * bad types and sizes are refused with nothing stored; approval waits for every declared upload
 * and pins the stored bytes' ETag.
 */
let p: TestPlatform;
let contract: ContractJson;
let report: Report;
const as = (u: string) => p.signIn(u);
const json = async <T>(res: Response | Promise<Response>) => (await (await res).json()) as T;
type Upload = {
  attachmentId: string;
  attachment: { key: string; name: string; sizeBytes: number };
  upload: { method: string; url: string; headers: Record<string, string> };
  reportVersion: number;
};

beforeAll(async () => {
  p = await testPlatform({ start: new Date('2026-09-17T10:00:00+08:00') });
  const { award } = await finalAward(p, 'purchase', {
    amountFen: 500_000 * YUAN,
    poolBudgetFen: 1_100_000 * YUAN,
  });
  contract = await signContract(p, award.id, {
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    targets: purchaseTargets,
    stationIds: ['st-410621101', 'st-410621104'],
  });
  p.clock.set(new Date('2026-09-28T10:00:00+08:00'));
  report = await json<Report>(
    p.api('POST', `/contracts/${contract.id}/reports`, {
      token: await as('qicai-applicant'),
      body: { milestone: 'midterm', stationId: 'st-410621101', month: '2026-08', figures: figures() },
    }),
  );
}, 90_000);
afterAll(() => p?.stop());

const attach = async (body: unknown, user = 'qicai-applicant', headers: Record<string, string> = {}) =>
  p.api('POST', `/reports/${report.id}/attachments`, { token: await as(user), body, headers });
const stored = async () =>
  json<Report>(p.api('GET', `/reports/${report.id}`, { token: await as('xun-officer') }));

describe('declaring evidence', () => {
  it('refuses a bad type, a name that does not match it and a file over 20 MiB; nothing is stored', async () => {
    const exe = await attach({ name: 'setup.exe', contentType: 'application/x-msdownload', sizeBytes: 100 });
    expect(exe.status).toBe(422);
    expect(exe.headers.get('content-type')).toContain('application/problem+json');
    expect((await json<{ errors: { field: string }[] }>(exe)).errors[0]!.field).toBe('body.contentType');
    const mismatch = await attach({ name: 'photo.png', contentType: 'application/pdf', sizeBytes: 100 });
    expect(mismatch.status).toBe(422);
    const big = await attach({
      name: '签到表.pdf',
      contentType: 'application/pdf',
      sizeBytes: 20 * 1024 * 1024 + 1,
    });
    expect(big.status).toBe(422);
    expect((await json<{ errors: { field: string }[] }>(big)).errors[0]!.field).toBe('body.sizeBytes');
    const after = await stored();
    expect(after.attachments).toEqual([]);
    expect(after.version).toBe(report.version);
  });

  it('another organization gets 404 and an officer may not declare evidence (403)', async () => {
    const body = { name: '签到表.pdf', contentType: 'application/pdf', sizeBytes: 10 };
    expect((await attach(body, 'chunxi-applicant')).status).toBe(404);
    expect((await attach(body, 'xun-officer')).status).toBe(403);
    expect((await stored()).attachments).toEqual([]);
  });

  it('uploads through the presigned URL, records the attachment with its audit entry, and downloads', async () => {
    const bytes = Buffer.from('%PDF-1.7\n浚县社工站 2026-08 签到表\n%%EOF\n');
    const res = await attach(
      { name: '签到表 (8月).pdf', contentType: 'application/pdf', sizeBytes: bytes.length },
      'qicai-applicant',
      { 'idempotency-key': 'evidence-1' },
    );
    expect(res.status).toBe(201);
    const up = await json<Upload>(res);
    expect(up.attachment.key).toBe(`submissions/reports/${report.id}/${up.attachmentId}-签到表_8月_.pdf`);
    expect(up.reportVersion).toBe(report.version + 1);
    const signed = new URL(up.upload.url).searchParams.get('X-Amz-SignedHeaders')!.split(';');
    expect(signed).toEqual(expect.arrayContaining(['content-length', 'content-type']));
    // The same key again answers the same declaration: no second attachment.
    const replay = await attach(
      { name: '签到表 (8月).pdf', contentType: 'application/pdf', sizeBytes: bytes.length },
      'qicai-applicant',
      { 'idempotency-key': 'evidence-1' },
    );
    expect((await json<Upload>(replay)).attachmentId).toBe(up.attachmentId);
    const put = await fetch(up.upload.url, { method: 'PUT', headers: up.upload.headers, body: bytes });
    expect(put.status).toBe(200);

    const r = await stored();
    expect(r.attachments).toHaveLength(1);
    expect(r.attachments[0]).toMatchObject({
      id: up.attachmentId,
      name: '签到表 (8月).pdf',
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
    });
    expect(r.revision).toBe(1);

    for (const user of ['qicai-applicant', 'xun-officer', 'xun-finance', 'xun-auditor']) {
      const dl = await p.api('GET', `/reports/${report.id}/attachments/${up.attachmentId}`, {
        token: await as(user),
      });
      expect(dl.status, user).toBe(200);
      const got = await fetch((await json<{ url: string }>(dl)).url);
      expect(Buffer.from(await got.arrayBuffer()).equals(bytes), user).toBe(true);
    }
    for (const user of ['chunxi-applicant', 'yc-officer']) {
      const dl = await p.api('GET', `/reports/${report.id}/attachments/${up.attachmentId}`, {
        token: await as(user),
      });
      expect(dl.status, user).toBe(404);
    }
    const missing = await p.api('GET', `/reports/${report.id}/attachments/nope`, {
      token: await as('qicai-applicant'),
    });
    expect(missing.status).toBe(404);

    const chain = await json<{ items: { action: string; actor: string }[] }>(
      p.api('GET', `/audit/chains/${encodeURIComponent(`REPORT#${report.id}`)}`, {
        token: await as('xun-auditor'),
      }),
    );
    expect(chain.items.map((e) => e.action)).toEqual(['report.submitted', 'report.attachment-added']);
  });
});

describe('approval and evidence', () => {
  it('refuses approval while a declared attachment is not uploaded, then pins the ETags', async () => {
    const up = await json<Upload>(
      attach({
        name: '活动照片.png',
        contentType: 'image/png',
        sizeBytes: 64,
      }),
    );
    const officer = await as('xun-officer');
    const refused = await p.api('POST', `/reports/${report.id}/approve`, {
      token: officer,
      body: { version: up.reportVersion },
    });
    expect(refused.status).toBe(422);
    const problem = await json<{ type: string; detailZh: string }>(refused);
    expect(problem.type).toContain('attachment-not-uploaded');
    expect(problem.detailZh).toContain('附件“活动照片.png”已申报但尚未上传');
    expect((await stored()).status).toBe('submitted');

    const put = await fetch(up.upload.url, {
      method: 'PUT',
      headers: up.upload.headers,
      body: Buffer.alloc(64, 1),
    });
    expect(put.status).toBe(200);
    const ok = await p.api('POST', `/reports/${report.id}/approve`, {
      token: officer,
      body: { version: up.reportVersion },
    });
    expect(ok.status).toBe(200);
    const approved = await json<Report>(ok);
    expect(approved.status).toBe('approved');
    expect(approved.attachments.map((a) => a.etag)).toEqual([
      expect.stringMatching(/^[0-9a-f]{32}$/),
      expect.stringMatching(/^[0-9a-f]{32}$/),
    ]);
    // Approved: the evidence is closed.
    const late = await attach({ name: 'late.pdf', contentType: 'application/pdf', sizeBytes: 10 });
    expect(late.status).toBe(409);
    expect((await stored()).attachments).toHaveLength(2);
  });
});
