import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import type { Call } from '../../shared/calls/model';
import { AttachmentRequestSchema, forScoring, type Submission } from '../../shared/submissions/model';
import { transactWithRetry } from '../../shared/submissions/repository';
import { contentProblems } from '../../shared/submissions/rules';
import { acceptsSubmissions, attachmentKey, unsealed } from '../../shared/submissions/service';

const call = {
  kind: 'purchase',
  jurisdictionPath: '410600/410621/',
  lots: [
    { code: '1', name: '北片', ceilingFen: 60_000_000 },
    { code: '2', name: '南片', ceilingFen: 50_000_000 },
  ],
  venture: undefined,
} satisfies Pick<Call, 'kind' | 'lots' | 'venture' | 'jurisdictionPath'>;
const bid = (priceFen: number, lines: number[], lot = '1') => ({
  kind: 'bid' as const,
  lot,
  priceFen,
  budgetLines: lines.map((amountFen, i) => ({ item: `line ${i}`, amountFen })),
  proposal: 'p',
});

describe('submission content rules', () => {
  it('accepts a bid whose lines add up exactly and that stays under the ceiling', () => {
    expect(contentProblems(bid(60_000_000, [59_999_999, 1]), { call })).toEqual([]);
  });

  it('names both totals when budget lines and price disagree', () => {
    const [e] = contentProblems(bid(100, [30, 60]), { call });
    expect(e).toEqual({
      field: 'body.content.budgetLines',
      message: 'The budget lines total ¥0.90 (90 fen) but the price is ¥1.00 (100 fen); they must be equal.',
      messageZh: '预算明细合计 ¥0.90（90 分），与报价 ¥1.00（100 分）不一致，两者应相等',
    });
  });

  it('refuses a price one fen above the ceiling, and an unknown lot', () => {
    expect(contentProblems(bid(50_000_001, [50_000_001], '2'), { call }).map((e) => e.field)).toEqual([
      'body.content.priceFen',
    ]);
    expect(contentProblems(bid(5, [5], '3'), { call })[0]!.messageZh).toBe(
      '本项目没有标包“3”，现有标包：1、2',
    );
  });

  it('checks venture applications: kind, largest request, station subtree, duplicate groups', () => {
    const venture = {
      ...call,
      kind: 'venture' as const,
      lots: [],
      venture: { totalFundingFen: 9e8, maxRequestFen: 100, minScore: 60 },
    };
    const app = {
      kind: 'application' as const,
      projectTitle: 'x',
      requestedFen: 101,
      stationId: 'st-1',
      recipientGroups: ['disabled' as const, 'disabled' as const],
      targets: {
        visits: 1,
        cases: 1,
        groups: 1,
        activities: 1,
        peopleServed: { minimumLiving: 0, extremePoverty: 0, childrenInDifficulty: 0, disabled: 1, other: 0 },
      },
      summary: 's',
    };
    const station = { id: 'st-1', name: '某站', jurisdictionId: 'j', jurisdictionPath: '640100/640104/' };
    expect(contentProblems(app, { call: venture, station }).map((e) => e.field)).toEqual([
      'body.content.requestedFen',
      'body.content.stationId',
      'body.content.recipientGroups',
    ]);
    expect(contentProblems(app, { call })[0]!.field).toBe('body.content.kind');
    expect(contentProblems(bid(1, [1]), { call: venture })[0]!.field).toBe('body.content.kind');
  });
});

describe('the deadline boundary', () => {
  const c = {
    status: 'published' as const,
    periods: {
      enquiryStartsAt: '2027-01-01T00:00:00.000Z',
      enquiryEndsAt: '2027-01-10T00:00:00.000Z',
      submissionOpensAt: '2027-01-01T00:00:00.000Z',
      deadline: '2027-01-31T09:00:00.000Z',
    },
  };
  it('accepts strictly before the deadline; at the deadline it is closed and unsealed', () => {
    const at = (iso: string) => new Date(iso);
    expect(acceptsSubmissions(c, at('2027-01-31T08:59:59.999Z'))).toBe(true);
    expect(unsealed(c, at('2027-01-31T08:59:59.999Z'))).toBe(false);
    expect(acceptsSubmissions(c, at('2027-01-31T09:00:00.000Z'))).toBe(false);
    expect(unsealed(c, at('2027-01-31T09:00:00.000Z'))).toBe(true);
    expect(acceptsSubmissions(c, at('2026-12-31T23:59:59.999Z'))).toBe(false);
    expect(acceptsSubmissions({ ...c, status: 'closed' }, at('2027-01-20T00:00:00.000Z'))).toBe(false);
  });
});

describe('attachments', () => {
  it('keeps keys safe and under the submission prefix', () => {
    expect(attachmentKey('s1', '../../etc/passwd', 'u')).toBe('submissions/s1/u-etc_passwd');
    expect(attachmentKey('s1', '服务方案 (终稿).pdf', 'u')).toBe('submissions/s1/u-服务方案_终稿_.pdf');
    expect(attachmentKey('s1', '...', 'u')).toBe('submissions/s1/u-file');
  });
  it('accepts exactly 20 MiB and the five types', () => {
    const ok = (name: string, contentType: string, sizeBytes = 1) =>
      AttachmentRequestSchema.safeParse({ name, contentType, sizeBytes }).success;
    expect(ok('a.pdf', 'application/pdf', 20 * 1024 * 1024)).toBe(true);
    expect(ok('a.pdf', 'application/pdf', 20 * 1024 * 1024 + 1)).toBe(false);
    expect(ok('a.pdf', 'application/pdf', 0)).toBe(false);
    expect(ok('a.JPG', 'image/jpeg')).toBe(true);
    expect(ok('a.png', 'image/png')).toBe(true);
    expect(ok('a.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe(
      true,
    );
    expect(ok('a.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe(true);
    expect(ok('a.gif', 'image/gif')).toBe(false);
    expect(ok('a.doc', 'application/msword')).toBe(false);
  });
});

describe('what scoring reads', () => {
  it('counts only submissions screened eligible', () => {
    const s = { id: 's', lot: '1', content: bid(5, [5]) } as unknown as Submission;
    expect(forScoring(s)).toEqual({ id: 's', lot: '1', priceFen: 5, eligible: false });
    expect(
      forScoring({ ...s, eligibility: { eligible: true, reasons: [], by: 'o', at: 't' } }).eligible,
    ).toBe(true);
  });
});

describe('transaction conflicts at the deadline', () => {
  const conflict = () =>
    new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
    });

  it('retries a TransactionConflict with the same ClientRequestToken', async () => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    const mock = mockClient(doc);
    mock.on(TransactWriteCommand).rejectsOnce(conflict()).rejectsOnce(conflict()).resolves({});
    await transactWithRetry(doc, { TransactItems: [] });
    const tokens = mock.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(1);
    mock.restore();
  });

  it('does not retry a failed condition, and gives up after the attempts', async () => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    const mock = mockClient(doc);
    const failed = new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
    });
    mock.on(TransactWriteCommand).rejects(failed);
    await expect(transactWithRetry(doc, { TransactItems: [] })).rejects.toBe(failed);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
    mock.reset();
    mock.on(TransactWriteCommand).rejects(conflict());
    await expect(transactWithRetry(doc, { TransactItems: [] }, 3)).rejects.toBeInstanceOf(
      TransactionCanceledException,
    );
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(3);
    mock.restore();
  });
});
