import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../shared/calls/model';
import type { Panel } from '../../shared/reviews/model';
import { ReviewService } from '../../shared/reviews/service';
import type { Submission } from '../../shared/submissions/model';
import { attachmentIdOf, SubmissionService } from '../../shared/submissions/service';
import { type TestPlatform, testPlatform } from '../support/platform';
import { publishedCall, usernameOf } from '../support/reviews';
import { bid } from '../support/submissions';
import { PageClient } from '../support/web';

/**
 * Attachment downloads from the officer's and the reviewer's pages: a 302 to a presigned GET on
 * the documents bucket after the deadline, for whoever may read the submission; the 404 page for
 * everyone else (sealed, recused, another jurisdiction, unknown attachment).
 */
let p: TestPlatform;
let call: Call;
let sub: Submission;
let key: string;
let attachmentId: string;
let panel: Panel;
const bytes = Buffer.from('%PDF-1.7\n浚县社工站运营方案\n%%EOF\n');

const START = new Date('2026-06-01T02:00:00Z');

beforeAll(async () => {
  p = await testPlatform({ start: START });
  call = await publishedCall(p, 1);
  const service = new SubmissionService(p.deps);
  const qicai = p.demo.users['qicai-applicant']!;
  const draft = await service.create(qicai, call.id, bid(52_000_000));
  const added = await service.addAttachment(
    draft,
    {
      name: '服务方案.pdf',
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
    },
    qicai.userId,
  );
  const put = await fetch(added.upload.url, {
    method: 'PUT',
    headers: added.upload.headers,
    body: new Uint8Array(bytes),
  });
  expect(put.ok).toBe(true);
  key = added.attachment.key;
  attachmentId = attachmentIdOf(added.attachment);
  const withFile = (await service.repo.get(draft.id))!;
  sub = (await service.submit(qicai, withFile, withFile.version, p.clock.now)).submission;
});
afterAll(() => p?.stop());

const officerPath = (id = attachmentId) => `/officer/submissions/${sub.id}/attachments/${id}`;
const reviewerPath = (id = attachmentId) => `/reviewer/submissions/${sub.id}/attachments/${id}`;

const isNotFoundPage = async (res: Response) => {
  expect(res.status).toBe(404);
  expect(await res.text()).toContain('页面不存在');
};

const isPresignedRedirect = (res: Response) => {
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(location.origin).toBe(new URL(p.deps.config.s3Endpoint ?? '').origin);
  expect(decodeURIComponent(location.pathname)).toContain(key);
  expect(location.searchParams.get('X-Amz-Signature')).toBeTruthy();
};

describe('before the deadline', () => {
  it('the officer and every reviewer get the 404 page: the submission is sealed', async () => {
    const officer = await new PageClient(p).signIn('xun-officer');
    await isNotFoundPage(await officer.req('GET', officerPath()));
    // Whoever is seated after the deadline is one of these experts.
    const experts = ['zhang', 'wang', 'sun', 'zhao', 'liu', 'yang', 'huang', 'zhou'];
    for (const name of experts) {
      const reviewer = await new PageClient(p).signIn(`expert-${name}`);
      await isNotFoundPage(await reviewer.req('GET', reviewerPath()));
    }
  });
});

describe('after the deadline', () => {
  beforeAll(async () => {
    p.clock.set(new Date(Date.parse(call.periods.deadline) + 60_000));
    const officer = p.demo.users['xun-officer']!;
    const subs = new SubmissionService(p.deps);
    sub = await subs.screen(officer, (await subs.repo.get(sub.id))!, {
      version: sub.version,
      eligible: true,
      reasons: [],
    });
    const reviews = new ReviewService(p.deps);
    panel = await reviews.draw(call, officer, { seed: 'b'.repeat(32), reserves: 2 });
    // The first member recuses from the bid.
    const first = p.demo.users[usernameOf(p, panel.members[0]!.userId)]!;
    await reviews.declareConflict(sub.id, first, '曾为该机构提供督导服务');
  });

  it('the officer of the jurisdiction is sent to a presigned URL; the review page links to it', async () => {
    const officer = await new PageClient(p).signIn('xun-officer');
    const res = await officer.req('GET', officerPath());
    isPresignedRedirect(res);
    // The URL works: S3 answers the uploaded bytes.
    const got = await fetch(res.headers.get('location')!);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    const page = await (await officer.req('GET', `/officer/calls/${call.id}/review`)).text();
    expect(page).toContain(`href="${officerPath()}"`);
    expect(page).toContain('服务方案.pdf');
    await isNotFoundPage(await officer.req('GET', officerPath('00000000-0000-4000-8000-000000000000')));
  });

  it('an officer of another jurisdiction gets the 404 page', async () => {
    const yc = await new PageClient(p).signIn('yc-officer');
    await isNotFoundPage(await yc.req('GET', officerPath()));
  });

  it('a seated reviewer is sent to a presigned URL; a recused one and an unseated one get the 404 page', async () => {
    const second = await new PageClient(p).signIn(usernameOf(p, panel.members[1]!.userId));
    isPresignedRedirect(await second.req('GET', reviewerPath()));
    const page = await (await second.req('GET', `/reviewer/submissions/${sub.id}`)).text();
    expect(page).toContain(`href="${reviewerPath()}"`);
    await isNotFoundPage(await second.req('GET', reviewerPath('00000000-0000-4000-8000-000000000000')));

    const first = await new PageClient(p).signIn(usernameOf(p, panel.members[0]!.userId));
    await isNotFoundPage(await first.req('GET', reviewerPath()));
    // expert-chen is affiliated with 七彩: excluded from the draw, so seated for nothing.
    const chen = await new PageClient(p).signIn('expert-chen');
    await isNotFoundPage(await chen.req('GET', reviewerPath()));
  });
});
