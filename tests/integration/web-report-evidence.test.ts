import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../shared/reports/model';
import { ReportService } from '../../shared/reports/service';
import { figures, finalAward, purchaseTargets, signContract, YUAN } from '../support/contracts';
import { type TestPlatform, testPlatform } from '../support/platform';
import { PageClient } from '../support/web';

/**
 * Evidence documents on the report pages: the provider uploads a file through the multipart form
 * (no script; the web function relays the bytes to the presigned PUT, up to 4 MiB), the report
 * lists it with a download link (a 302 to a presigned GET), the officer's page lists it too;
 * a bad type or an oversized file is refused on the page and nothing is stored; another
 * organization gets the 404 page.
 */
let p: TestPlatform;
let reportId: string;
let applicant: PageClient;
const bytes = Buffer.from('%PDF-1.7\n浚县社工站 2026-08 签到表\n%%EOF\n');

beforeAll(async () => {
  p = await testPlatform({ start: new Date('2026-09-17T10:00:00+08:00') });
  const { award } = await finalAward(p, 'purchase', {
    amountFen: 500_000 * YUAN,
    poolBudgetFen: 1_100_000 * YUAN,
  });
  const contract = await signContract(p, award.id, {
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    targets: purchaseTargets,
    stationIds: ['st-410621101'],
  });
  p.clock.set(new Date('2026-09-28T10:00:00+08:00'));
  const res = await p.api('POST', `/contracts/${contract.id}/reports`, {
    token: await p.signIn('qicai-applicant'),
    body: { milestone: 'midterm', stationId: 'st-410621101', month: '2026-08', figures: figures() },
  });
  expect(res.status).toBe(201);
  reportId = ((await res.json()) as Report).id;
  applicant = await new PageClient(p).signIn('qicai-applicant');
}, 90_000);
afterAll(() => p?.stop());

const stored = async () => (await new ReportService(p.deps).reports.get(reportId))!.report;
const page = (id = reportId) => `/applicant/reports/${id}`;

/** Posts the multipart upload form as a browser does, with this client's cookies and CSRF token. */
async function upload(client: PageClient, file: { name: string; type: string; body: Uint8Array }) {
  const form = new FormData();
  form.set('_csrf', client.jar.get('gp_csrf') ?? '');
  form.set('file', new File([new Uint8Array(file.body)], file.name, { type: file.type }));
  return fetch(`${p.url}${page()}/attachments`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      accept: 'text/html',
      cookie: [...client.jar].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    body: form,
  });
}

describe('the upload form on the provider’s report page', () => {
  it('shows a multipart form and no evidence yet', async () => {
    const html = await (await applicant.req('GET', page())).text();
    expect(html).toContain(`action="${page()}/attachments"`);
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toContain('暂无证明材料');
  });

  it('refuses a type outside the list and a file over 4 MiB on the page; nothing is stored', async () => {
    const exe = await upload(applicant, { name: 'setup.exe', type: 'application/x-msdownload', body: bytes });
    expect(exe.status).toBe(422);
    expect(await exe.text()).toContain('class="alert"');
    const big = await upload(applicant, {
      name: '照片.png',
      type: 'image/png',
      body: new Uint8Array(4 * 1024 * 1024 + 1),
    });
    // Refused by the page before anything is declared.
    expect(big.status).toBe(413);
    expect(await big.text()).toContain('超过本页面上传上限 4 MiB');
    const r = await stored();
    expect(r.attachments).toEqual([]);
    expect(r.version).toBe(1);
  });

  it('another organization gets the 404 page and stores nothing', async () => {
    const other = await new PageClient(p).signIn('chunxi-applicant');
    await other.req('GET', '/');
    const res = await upload(other, { name: '签到表.pdf', type: 'application/pdf', body: bytes });
    expect(res.status).toBe(404);
    expect((await stored()).attachments).toEqual([]);
  });

  it('uploads a file: listed with a download link on both pages, the bytes in the bucket', async () => {
    const res = await upload(applicant, { name: '签到表.pdf', type: 'application/pdf', body: bytes });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${page()}?done=evidence-uploaded#attachments`);
    const [a] = (await stored()).attachments;
    expect(a).toMatchObject({ name: '签到表.pdf', contentType: 'application/pdf', sizeBytes: bytes.length });

    const html = await (await applicant.req('GET', `${page()}?done=evidence-uploaded`)).text();
    expect(html).toContain('证明材料已上传');
    expect(html).toContain(`href="${page()}/attachments/${a!.id}"`);
    const dl = await applicant.req('GET', `${page()}/attachments/${a!.id}`);
    expect(dl.status).toBe(302);
    const got = await fetch(dl.headers.get('location')!);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);

    const officer = await new PageClient(p).signIn('xun-officer');
    const officerPage = await (await officer.req('GET', `/officer/reports/${reportId}`)).text();
    expect(officerPage).toContain(`href="/officer/reports/${reportId}/attachments/${a!.id}"`);
    const odl = await officer.req('GET', `/officer/reports/${reportId}/attachments/${a!.id}`);
    expect(odl.status).toBe(302);
    expect(decodeURIComponent(new URL(odl.headers.get('location')!).pathname)).toContain(a!.key);
    const yc = await new PageClient(p).signIn('yc-officer');
    expect((await yc.req('GET', `/officer/reports/${reportId}/attachments/${a!.id}`)).status).toBe(404);
  });
});
