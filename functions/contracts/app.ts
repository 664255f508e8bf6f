import * as z from 'zod/mini';
import { AwardRepository } from '../../shared/awards/repository';
import { ContractVersionSchema } from '../../shared/contracts/repository';
import {
  AmendInputSchema,
  ContractService,
  ContractViewSchema,
  contractView,
  SignInputSchema,
} from '../../shared/contracts/service';
import { NotFoundError } from '../../shared/errors';
import { EvaluationInputSchema, EvaluationSchema } from '../../shared/evaluation/model';
import { EvaluationService } from '../../shared/evaluation/service';
import { type Api, authorizeObject, createApi, principalOf } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { idempotent } from '../../shared/http/idempotency';
import { route } from '../../shared/http/route';
import { IdParams, ListQuery, pageOf } from '../../shared/http/schemas';
import {
  ReportApproveSchema,
  ReportAttachmentRequestSchema,
  ReportAttachmentSchema,
  ReportInputSchema,
  ReportResubmitSchema,
  ReportReturnSchema,
  ReportSchema,
  ReportVersionSchema,
} from '../../shared/reports/model';
import { ReportService } from '../../shared/reports/service';
import { named, text } from '../../shared/schema';
import { StatisticsSchema } from '../../shared/statistics/model';
import { StatisticsService } from '../../shared/statistics/service';

const ContractPage = pageOf(ContractViewSchema, 'ContractPage');
const ReportPage = pageOf(ReportSchema, 'ReportPage');
const ContractVersions = named(z.object({ items: z.array(ContractVersionSchema) }), 'ContractVersionList');
const ReportVersions = named(z.object({ items: z.array(ReportVersionSchema) }), 'ReportVersionList');
const EvaluationList = named(z.object({ items: z.array(EvaluationSchema) }), 'EvaluationList');
const EvaluationResult = named(
  z.object({ evaluation: EvaluationSchema, contract: ContractViewSchema }),
  'EvaluationRecorded',
);
const ReportAttachmentUpload = named(
  z.object({
    attachmentId: z.string(),
    attachment: ReportAttachmentSchema,
    upload: z.object({
      method: z.literal('PUT'),
      url: z.string(),
      headers: z.record(z.string(), z.string()),
      expiresAt: z.string(),
    }),
    reportVersion: z.int(),
  }),
  'ReportAttachmentUpload',
);
const ReportAttachmentDownload = named(
  z.object({ attachment: ReportAttachmentSchema, url: z.string(), expiresAt: z.string() }),
  'ReportAttachmentDownload',
);
const AttachmentParams = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  attachmentId: z.string().check(z.minLength(1), z.maxLength(64)),
});
const StatisticsQuery = z.strictObject({
  jurisdictionId: text(1, 20),
  year: z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2100)),
});

/** The contract context: contracts from final awards, amendments, milestone reports, evaluations, service statistics. */
export function buildApp(deps: Deps): Api {
  const app = createApi(deps, 'contracts');
  const table = deps.config.tableName;
  const service = new ContractService(deps);
  const contracts = service.contracts;
  const reportService = new ReportService(deps);
  const reports = reportService.reports;
  const evaluations = new EvaluationService(deps);
  const statistics = new StatisticsService(deps);
  const awards = new AwardRepository(deps.doc, table);

  const contractIn = async (c: Parameters<typeof authorizeObject>[0], id: string) => {
    const read = await contracts.get(id);
    authorizeObject(c, read?.contract, 'contract');
    return read!;
  };
  const reportIn = async (c: Parameters<typeof authorizeObject>[0], id: string) => {
    const read = await reports.get(id);
    authorizeObject(c, read?.report, 'report');
    return read!;
  };

  // ---- Contracts --------------------------------------------------------------------------------

  route(
    app,
    {
      method: 'post',
      path: '/awards/:id/contract',
      tags: ['Contracts'],
      summary:
        'Sign the contract (合同) of a final award: parties, amount, period, deliverables and the payment schedule in fen',
      params: IdParams,
      body: SignInputSchema,
      idempotent: true,
      ok: { status: 201, schema: ContractViewSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const award = authorizeObject(c, await awards.get(params.id), 'award');
      const out = await idempotent(c, body, async () => ({
        status: 201 as const,
        body: contractView(await service.sign(award.id, body, principalOf(c))),
      }));
      return c.json(out.body, out.status);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/contracts',
      tags: ['Contracts'],
      summary: "Contracts: an officer's, finance's or auditor's jurisdiction; a provider's own",
      query: ListQuery,
      ok: { status: 200, schema: ContractPage },
      problems: [400, 401, 403, 422],
    },
    async (c, { query }) => {
      const p = principalOf(c);
      const page =
        c.get('scope') === 'own-org'
          ? await contracts.pageOfOrg(p.orgId ?? '-', query.limit, query.cursor)
          : await contracts.pageInJurisdiction(p.jurisdictionPath, query.limit, query.cursor);
      return c.json({ ...page, items: page.items.map(contractView) }, 200);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/contracts/:id',
      tags: ['Contracts'],
      summary: 'One contract: schedule, tranches, reported totals, grades, paid and remaining',
      params: IdParams,
      ok: { status: 200, schema: ContractViewSchema },
      problems: [401, 403, 404],
    },
    async (c, { params }) => c.json(contractView((await contractIn(c, params.id)).contract), 200),
  );

  route(
    app,
    {
      method: 'patch',
      path: '/contracts/:id',
      tags: ['Contracts'],
      summary:
        'Amend a contract (合同变更) with a reason: end date, amount (re-split, pool money moved), targets, stations; every version is kept',
      params: IdParams,
      body: AmendInputSchema,
      ok: { status: 200, schema: ContractViewSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const read = await contractIn(c, params.id);
      return c.json(contractView(await service.amend(read, body, principalOf(c))), 200);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/contracts/:id/versions',
      tags: ['Contracts'],
      summary: 'Every kept version of a contract: as signed, then after each amendment (reason and changes)',
      params: IdParams,
      ok: { status: 200, schema: ContractVersions },
      problems: [401, 403, 404],
    },
    async (c, { params }) => {
      await contractIn(c, params.id);
      return c.json({ items: await contracts.versions(params.id) }, 200);
    },
  );

  // ---- Milestone reports ------------------------------------------------------------------------

  route(
    app,
    {
      method: 'post',
      path: '/contracts/:id/reports',
      tags: ['Reports'],
      summary:
        'File a milestone report (里程碑报告) for a station and month: outputs by form and recipient category; breakdowns must add up',
      params: IdParams,
      body: ReportInputSchema,
      idempotent: true,
      ok: { status: 201, schema: ReportSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const read = await contractIn(c, params.id);
      const out = await idempotent(c, body, async () => ({
        status: 201 as const,
        body: await reportService.file(read, body, principalOf(c)),
      }));
      return c.json(out.body, out.status);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/contracts/:id/reports',
      tags: ['Reports'],
      summary: "A contract's reports, by month and station",
      params: IdParams,
      query: ListQuery,
      ok: { status: 200, schema: ReportPage },
      problems: [400, 401, 403, 404, 422],
    },
    async (c, { params, query }) => {
      await contractIn(c, params.id);
      return c.json(await reports.pageOfContract(params.id, query.limit, query.cursor), 200);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/reports',
      tags: ['Reports'],
      summary: 'The review queue: submitted reports in the jurisdiction, oldest first',
      query: ListQuery,
      ok: { status: 200, schema: ReportPage },
      problems: [400, 401, 403, 422],
    },
    async (c, { query }) =>
      c.json(await reports.queuePage(principalOf(c).jurisdictionPath, query.limit, query.cursor), 200),
  );

  route(
    app,
    {
      method: 'get',
      path: '/reports/:id',
      tags: ['Reports'],
      summary: 'One report with its review history',
      params: IdParams,
      ok: { status: 200, schema: ReportSchema },
      problems: [401, 403, 404],
    },
    async (c, { params }) => c.json((await reportIn(c, params.id)).report, 200),
  );

  route(
    app,
    {
      method: 'put',
      path: '/reports/:id',
      tags: ['Reports'],
      summary: 'Resubmit a returned report (a new revision; the previous ones are kept)',
      params: IdParams,
      body: ReportResubmitSchema,
      ok: { status: 200, schema: ReportSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const read = await reportIn(c, params.id);
      return c.json(await reportService.resubmit(read, body, principalOf(c)), 200);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/reports/:id/versions',
      tags: ['Reports'],
      summary: 'Every submitted revision of a report, oldest first',
      params: IdParams,
      ok: { status: 200, schema: ReportVersions },
      problems: [401, 403, 404],
    },
    async (c, { params }) => {
      await reportIn(c, params.id);
      return c.json({ items: await reports.versions(params.id) }, 200);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/reports/:id/attachments',
      tags: ['Reports'],
      summary:
        'Declare an evidence document (PDF, JPEG, PNG, DOCX, XLSX; at most 20 MiB) on a submitted or returned report: answers a presigned PUT URL',
      params: IdParams,
      body: ReportAttachmentRequestSchema,
      idempotent: true,
      ok: { status: 201, schema: ReportAttachmentUpload },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const read = await reportIn(c, params.id);
      const out = await idempotent(c, body, async () => ({
        status: 201 as const,
        body: await reportService.addAttachment(read, body, principalOf(c)),
      }));
      return c.json(out.body, out.status);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/reports/:id/attachments/:attachmentId',
      tags: ['Reports'],
      summary: 'A short-lived download URL for one evidence document of a report',
      params: AttachmentParams,
      ok: { status: 200, schema: ReportAttachmentDownload },
      problems: [401, 403, 404],
    },
    async (c, { params }) => {
      const read = await reportIn(c, params.id);
      return c.json(await reportService.attachmentUrl(read.report, params.attachmentId), 200);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/reports/:id/approve',
      tags: ['Reports'],
      summary:
        "Approve a report: its figures join the contract's reported totals and the service statistics (one transaction)",
      params: IdParams,
      body: ReportApproveSchema,
      ok: { status: 200, schema: ReportSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const read = await reportIn(c, params.id);
      return c.json((await reportService.approve(read, body, principalOf(c))).report, 200);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/reports/:id/return',
      tags: ['Reports'],
      summary: 'Return a report to its organization with comments',
      params: IdParams,
      body: ReportReturnSchema,
      ok: { status: 200, schema: ReportSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const read = await reportIn(c, params.id);
      return c.json(await reportService.returnReport(read, body, principalOf(c)), 200);
    },
  );

  // ---- Evaluations ------------------------------------------------------------------------------

  route(
    app,
    {
      method: 'post',
      path: '/contracts/:id/evaluations',
      tags: ['Evaluations'],
      summary:
        'Record the mid-term or final performance evaluation (绩效评价): weights from the contract, outputs scored from the reports, grade 优/良/中/差; the final grade sets the final tranche',
      params: IdParams,
      body: EvaluationInputSchema,
      idempotent: true,
      ok: { status: 201, schema: EvaluationResult },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      await contractIn(c, params.id);
      const out = await idempotent(c, body, async () => {
        const r = await evaluations.record(params.id, body, principalOf(c));
        return {
          status: 201 as const,
          body: { evaluation: r.evaluation, contract: contractView(r.contract) },
        };
      });
      return c.json(out.body, out.status);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/contracts/:id/evaluations',
      tags: ['Evaluations'],
      summary: "A contract's evaluations (mid-term, final) with their sheets, achievement and grades",
      params: IdParams,
      ok: { status: 200, schema: EvaluationList },
      problems: [401, 403, 404],
    },
    async (c, { params }) => {
      await contractIn(c, params.id);
      return c.json({ items: await evaluations.ofContract(params.id) }, 200);
    },
  );

  // ---- Statistics -------------------------------------------------------------------------------

  route(
    app,
    {
      method: 'get',
      path: '/statistics',
      tags: ['Statistics'],
      summary:
        'Service statistics of a jurisdiction for a year: by station × month and rolled up, by category (pre-aggregated; two Queries for a county)',
      query: StatisticsQuery,
      ok: { status: 200, schema: StatisticsSchema },
      problems: [400, 401, 403, 404, 422],
    },
    async (c, { query }) => {
      const j = await statistics.jurisdiction(query.jurisdictionId);
      authorizeObject(c, j, 'jurisdiction', (x) => ({ jurisdictionPath: x.path }));
      if (!j) throw new NotFoundError('jurisdiction');
      return c.json(await statistics.read(j, query.year), 200);
    },
  );

  return app;
}
