import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Receipt, Submission } from '../../shared/submissions/model';
import { receiptDigest } from '../../shared/submissions/service';
import { type TestPlatform, testPlatform } from '../support/platform';
import { bid, DAY, json } from '../support/submissions';

/** Attachments: presigned PUT to moto's S3, type and size limits, pinned by the receipt. */
const T0 = new Date('2027-06-01T00:00:00.000Z');
let p: TestPlatform;
let token: string;
let s: Submission;
type Upload = {
  attachmentId: string;
  upload: { url: string; headers: Record<string, string> };
  submissionVersion: number;
};

beforeAll(async () => {
  p = await testPlatform({ start: T0 });
  token = await p.signIn('qicai-applicant');
  s = await json<Submission>(
    p.api('POST', '/submissions', { token, body: { callId: p.demo.calls.purchase, content: bid() } }),
  );
});
afterAll(() => p?.stop());

const attach = (body: unknown) => p.api('POST', `/submissions/${s.id}/attachments`, { token, body });

describe('attachments', () => {
  it('refuses a file over 20 MiB, a type outside the list and a name that does not match the type', async () => {
    const big = await attach({
      name: '方案.pdf',
      contentType: 'application/pdf',
      sizeBytes: 20 * 1024 * 1024 + 1,
    });
    expect(big.status).toBe(422);
    const e = (await json<{ errors: { field: string; message: string }[] }>(big)).errors;
    expect(e[0]).toMatchObject({ field: 'body.sizeBytes' });
    expect(e[0]!.message).toContain('20971521 bytes');
    const exe = await attach({ name: 'setup.exe', contentType: 'application/x-msdownload', sizeBytes: 100 });
    expect(exe.status).toBe(422);
    expect((await json<{ errors: { field: string }[] }>(exe)).errors[0]!.field).toBe('body.contentType');
    const mismatch = await attach({ name: 'photo.png', contentType: 'application/pdf', sizeBytes: 100 });
    expect(mismatch.status).toBe(422);
    // Nothing was recorded.
    expect((await json<Submission>(p.api('GET', `/submissions/${s.id}`, { token }))).attachments).toEqual([]);
  });

  it('uploads through a presigned URL that signs the type and the length', async () => {
    const bytes = Buffer.from('%PDF-1.7\n浚县社工站运营方案\n%%EOF\n');
    const res = await attach({
      name: '服务方案 (终稿).pdf',
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
    });
    expect(res.status).toBe(201);
    const up = await json<Upload & { attachment: { key: string } }>(res);
    expect(up.attachment.key).toMatch(new RegExp(`^submissions/${s.id}/[0-9a-f-]{36}-服务方案_终稿_.pdf$`));
    const signed = new URL(up.upload.url).searchParams.get('X-Amz-SignedHeaders')!.split(';');
    expect(signed).toEqual(expect.arrayContaining(['content-length', 'content-type', 'host']));
    const put = await fetch(up.upload.url, { method: 'PUT', headers: up.upload.headers, body: bytes });
    expect(put.status).toBe(200);

    const dl = await json<{ url: string }>(
      p.api('GET', `/submissions/${s.id}/attachments/${up.attachmentId}`, { token }),
    );
    const got = await fetch(dl.url);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);

    const r = await p.api('POST', `/submissions/${s.id}/submit`, {
      token,
      body: { version: up.submissionVersion },
    });
    expect(r.status).toBe(200);
    const { receipt, submission } = await json<{ receipt: Receipt; submission: Submission }>(r);
    // The receipt covers the stored bytes through their ETag.
    expect(submission.attachments[0]!.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(receiptDigest(submission)).toBe(receipt.sha256);
    // Submitted: no more attachments until it is withdrawn.
    expect((await attach({ name: 'b.png', contentType: 'image/png', sizeBytes: 10 })).status).toBe(409);
  });

  it('refuses to submit while a declared attachment has not been uploaded', async () => {
    const { version } = await json<Submission>(p.api('GET', `/submissions/${s.id}`, { token }));
    const w = await json<Submission>(
      p.api('POST', `/submissions/${s.id}/withdraw`, { token, body: { version } }),
    );
    expect(w.status).toBe('withdrawn');
    const up = await json<Upload>(attach({ name: '预算表.xlsx', contentType: ATT_XLSX, sizeBytes: 2048 }));
    const res = await p.api('POST', `/submissions/${s.id}/submit`, {
      token,
      body: { version: up.submissionVersion },
    });
    expect(res.status).toBe(422);
    const body = await json<{ errors: { field: string; messageZh: string }[] }>(res);
    expect(body.errors[0]).toMatchObject({ field: 'attachments.1', messageZh: '附件“预算表.xlsx”尚未上传' });
  });

  it('officers download attachments only after the deadline', async () => {
    const current = await json<Submission>(p.api('GET', `/submissions/${s.id}`, { token }));
    // Upload the missing file and submit again.
    const key = current.attachments[1]!.key;
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    const { makeS3Client } = await import('../../shared/db/s3');
    await makeS3Client(p.deps.config).send(
      new PutObjectCommand({ Bucket: p.deps.config.documentsBucket, Key: key, Body: Buffer.alloc(2048) }),
    );
    const r = await p.api('POST', `/submissions/${s.id}/submit`, {
      token,
      body: { version: current.version },
    });
    expect(r.status).toBe(200);
    const id = /\/([0-9a-f-]{36})-/.exec(current.attachments[0]!.key)![1];
    const officerBefore = await p.signIn('xun-officer');
    expect(
      (await p.api('GET', `/submissions/${s.id}/attachments/${id}`, { token: officerBefore })).status,
    ).toBe(404);
    p.clock.set(new Date(T0.getTime() + 31 * DAY));
    const officer = await p.signIn('xun-officer');
    const res = await p.api('GET', `/submissions/${s.id}/attachments/${id}`, { token: officer });
    expect(res.status).toBe(200);
    expect((await fetch((await json<{ url: string }>(res)).url)).status).toBe(200);
  });
});

const ATT_XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
