import { randomUUID } from 'node:crypto';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { purchaseCall } from '../../infra/local/seed';
import type { Call, CallInput } from '../../shared/calls/model';
import { CallService } from '../../shared/calls/service';
import { keys } from '../../shared/db/keys';
import type { Submission } from '../../shared/submissions/model';
import type { TestPlatform } from './platform';

export const DAY = 24 * 3600_000;

/** A published copy of the seeded Xun County tender, its deadline `days` ahead of the clock. */
export async function publishedCall(
  p: TestPlatform,
  days = 10,
  scoring: Partial<CallInput['scoring']> = {},
): Promise<Call> {
  const now = p.clock.now.getTime();
  const at = (d: number) => new Date(now + d * DAY).toISOString();
  const input = purchaseCall(
    p.demo.pools.xun,
    { enquiryStartsAt: at(-1), enquiryEndsAt: at(days / 2), submissionOpensAt: at(-1), deadline: at(days) },
    p.clock.now.getUTCFullYear(),
  );
  input.scoring = { ...input.scoring, ...scoring };
  // Published three weeks ago: an open tender needs 20 days from publication to its deadline
  // (政府采购法 第35条), and this one may close within a day. (A clock of its own, not the
  // platform's: helpers run concurrently.)
  const service = new CallService({ ...p.deps, now: () => new Date(now - 21 * DAY) });
  const draft = await service.create(input, p.demo.users['xun-officer']!);
  return service.publish(draft, draft.version);
}

/**
 * A submitted (and, unless `eligible` is undefined, screened) bid, written straight to the table
 * with the submissions repository's key layout: these tests are about review, not submitting.
 */
export async function submittedBid(
  p: TestPlatform,
  call: Pick<Call, 'id' | 'jurisdictionPath'>,
  bid: { orgId?: string; orgName?: string; lot: string; priceFen: number; eligible?: boolean },
): Promise<Submission> {
  const at = p.clock.now.toISOString();
  const id = randomUUID();
  const s: Submission = {
    id,
    callId: call.id,
    callKind: 'purchase',
    orgId: bid.orgId ?? randomUUID(),
    orgName: bid.orgName ?? `测试社会工作服务中心 ${id.slice(0, 4)}`,
    jurisdictionPath: call.jurisdictionPath,
    lot: bid.lot,
    content: {
      kind: 'bid',
      lot: bid.lot,
      priceFen: bid.priceFen,
      budgetLines: [{ item: '社工人员薪酬', amountFen: bid.priceFen }],
      proposal: '按镇（街道）开展困难群众排查探访、个案与小组工作、社区活动。',
    },
    attachments: [],
    status: 'submitted',
    receipts: [{ submissionId: id, version: 1, sha256: '0'.repeat(64), receivedAt: at }],
    ...(bid.eligible === undefined
      ? {}
      : {
          eligibility: { eligible: bid.eligible, reasons: bid.eligible ? [] : ['资质不符'], by: 'test', at },
        }),
    createdAt: at,
    updatedAt: at,
    submittedAt: at,
    version: 2,
  };
  await p.deps.doc.send(
    new PutCommand({
      TableName: p.deps.config.tableName,
      Item: {
        ...keys.submission(id),
        gsi2pk: keys.submissionsOfCall(call.id),
        gsi2sk: `${s.lot ?? '-'}#${id}`,
        ...s,
      },
    }),
  );
  return s;
}

/** Screening decided directly on the item (the submissions function's job). */
export async function setEligible(p: TestPlatform, submissionId: string, eligible: boolean): Promise<void> {
  await p.deps.doc.send(
    new UpdateCommand({
      TableName: p.deps.config.tableName,
      Key: keys.submission(submissionId),
      UpdateExpression: 'SET eligibility = :e',
      ExpressionAttributeValues: {
        ':e': { eligible, reasons: eligible ? [] : ['资质不符'], by: 'test', at: p.clock.now.toISOString() },
      },
    }),
  );
}

/** Counts the DynamoDB commands the platform's own client sends. */
export function commandCounter(p: TestPlatform) {
  const counter = { commands: [] as string[] };
  p.deps.doc.middlewareStack.add(
    (next, context) => async (args) => {
      counter.commands.push(String(context.commandName ?? 'unknown').replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: `test-count-${randomUUID()}`, priority: 'high' },
  );
  return counter;
}

export const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T;

/** The demo username of a user id. */
export function usernameOf(p: TestPlatform, userId: string): string {
  const hit = Object.entries(p.demo.users).find(([, u]) => u.userId === userId);
  if (!hit) throw new Error(`no demo user ${userId}`);
  return hit[0];
}
