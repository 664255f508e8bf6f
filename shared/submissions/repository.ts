import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { audited } from '../audit/record';
import { type AuditAction, readHead } from '../audit/write';
import { keys } from '../db/keys';
import { type Page, queryPage, withoutKeys } from '../db/query';
import { ConflictError, StaleVersionError } from '../errors';
import { lockLotOf, type Submission, SubmissionSchema } from './model';

/** Why a transaction touching the call was cancelled. */
export type CallGateFailure = 'call-closed' | 'stale';

export class CallGateError extends Error {
  constructor(readonly reason: CallGateFailure) {
    super(reason);
  }
}

const EDITABLE = { ':draft': 'draft', ':withdrawn': 'withdrawn' };

/**
 * Runs a TransactWriteItems, retrying a `TransactionConflict` (another transaction touching one
 * of the same items, e.g. the call item every submit checks at the deadline) with jittered
 * backoff and the SAME ClientRequestToken, so that a retry of a write that did land is a no-op
 * (PITFALLS.md: the SDK neither retries this nor keeps the token between sends).
 */
export async function transactWithRetry(
  doc: DynamoDBDocumentClient,
  input: TransactWriteCommandInput,
  attempts = 6,
): Promise<void> {
  const token = input.ClientRequestToken ?? randomUUID();
  for (let i = 1; ; i++) {
    try {
      await doc.send(new TransactWriteCommand({ ...input, ClientRequestToken: token }));
      return;
    } catch (e) {
      const conflict =
        e instanceof TransactionCanceledException &&
        (e.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict');
      const conditionFailed =
        e instanceof TransactionCanceledException &&
        (e.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
      if (!conflict || conditionFailed || i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** i));
    }
  }
}

/**
 * Submissions: one item per submission keyed by its own id (no per-call counter, so no hot key
 * at the deadline), a lock item per organization, call and lot (one live submission each), the
 * organization's list on gsi1 and the call's submitted ones on gsi2 (sparse: status `submitted`
 * only, read only after the deadline).
 */
export class SubmissionRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private item(s: Submission) {
    return {
      ...keys.submission(s.id),
      gsi1pk: keys.submissionsOfOrg(s.orgId),
      gsi1sk: `${s.createdAt}#${s.id}`,
      ...(s.status === 'submitted'
        ? { gsi2pk: keys.submissionsOfCall(s.callId), gsi2sk: `${s.lot ?? '-'}#${s.id}` }
        : {}),
      ...s,
    };
  }

  private lock(s: Pick<Submission, 'callId' | 'orgId' | 'content' | 'id'>) {
    return { ...keys.submissionLock(s.callId, s.orgId, lockLotOf(s.content)), submissionId: s.id };
  }

  /**
   * A new draft, its lock and the first entry of its audit chain (`submission.created`, by
   * `actor`), all or nothing; a second live submission for the same lot is a 409.
   */
  async create(s: Submission, actor: string): Promise<void> {
    try {
      await transactWithRetry(this.doc, {
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: this.lock(s),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...audited(
            {
              Put: {
                TableName: this.table,
                Item: this.item(s),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            undefined,
            { actor, at: s.createdAt, action: 'submission.created' },
          ),
        ],
      });
    } catch (e) {
      if (
        e instanceof TransactionCanceledException &&
        e.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      )
        throw await this.duplicate(s);
      throw e;
    }
  }

  private async duplicate(s: Submission): Promise<ConflictError> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.submissionLock(s.callId, s.orgId, lockLotOf(s.content)),
      }),
    );
    const lot = s.content.kind === 'bid' ? ` for lot ${s.content.lot}` : '';
    const lotZh = s.content.kind === 'bid' ? `标包 ${s.content.lot} ` : '';
    return new ConflictError(
      `Your organization already has a submission to this call${lot}; edit that one.`,
      `贵机构在本项目${lotZh}已有一份申报材料，请修改原有材料`,
      { submissionId: out.Item?.submissionId },
    );
  }

  async get(id: string): Promise<Submission | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.submission(id) }));
    return out.Item ? SubmissionSchema.parse(withoutKeys(out.Item)) : undefined;
  }

  /**
   * Saves an edited draft (or withdrawn submission) with its audit entry; a changed lot moves the
   * lock in the same transaction.
   */
  async saveEditable(next: Submission, previous: Submission, by: AuditAction): Promise<void> {
    const head = await readHead(this.doc, this.table, keys.submission(next.id));
    const put = {
      TableName: this.table,
      Item: this.item(next),
      ConditionExpression: 'version = :v AND #status IN (:draft, :withdrawn)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':v': previous.version, ...EDITABLE },
    };
    const oldLot = lockLotOf(previous.content);
    const newLot = lockLotOf(next.content);
    const root = audited({ Put: put }, head, by);
    try {
      if (oldLot === newLot) {
        await transactWithRetry(this.doc, { TransactItems: root });
        return;
      }
      await transactWithRetry(this.doc, {
        TransactItems: [
          ...root,
          {
            Delete: {
              TableName: this.table,
              Key: keys.submissionLock(previous.callId, previous.orgId, oldLot),
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: this.lock(next),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      });
    } catch (e) {
      if (
        e instanceof TransactionCanceledException &&
        e.CancellationReasons?.[3]?.Code === 'ConditionalCheckFailed'
      )
        throw await this.duplicate(next);
      if (e instanceof TransactionCanceledException || isConditionFailure(e))
        throw new StaleVersionError(previous.version);
      throw e;
    }
  }

  /**
   * Writes `next` only while the call is open by the server's clock: one TransactWriteItems of a
   * ConditionCheck on the call item (published, `periods.deadline > :now`; deadlines are UTC ISO
   * strings, so they compare as text) and the conditional Put of the submission (`version = :v`
   * and an allowed current status). At or after the deadline nothing is written.
   */
  async writeWhileOpen(
    next: Submission,
    expected: { version: number; statuses: Submission['status'][] },
    nowIso: string,
    by: AuditAction,
  ): Promise<void> {
    const statusValues = Object.fromEntries(expected.statuses.map((s, i) => [`:s${i}`, s]));
    const head = await readHead(this.doc, this.table, keys.submission(next.id));
    try {
      await transactWithRetry(this.doc, {
        TransactItems: [
          {
            ConditionCheck: {
              TableName: this.table,
              Key: keys.call(next.callId),
              ConditionExpression:
                '#status = :published AND periods.deadline > :now AND periods.submissionOpensAt <= :now',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':published': 'published', ':now': nowIso },
            },
          },
          ...audited(
            {
              Put: {
                TableName: this.table,
                Item: this.item(next),
                ConditionExpression: `version = :v AND #status IN (${Object.keys(statusValues).join(', ')})`,
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':v': expected.version, ...statusValues },
              },
            },
            head,
            by,
          ),
        ],
      });
    } catch (e) {
      if (e instanceof TransactionCanceledException) {
        const [call, sub] = e.CancellationReasons ?? [];
        if (call?.Code === 'ConditionalCheckFailed') throw new CallGateError('call-closed');
        if (sub?.Code === 'ConditionalCheckFailed') throw new CallGateError('stale');
      }
      throw e;
    }
  }

  /**
   * Saves a change made after the deadline (screening, explanation), guarded by `version` and
   * status, with its audit entry.
   */
  async saveSubmitted(next: Submission, expectedVersion: number, by: AuditAction): Promise<void> {
    const head = await readHead(this.doc, this.table, keys.submission(next.id));
    try {
      await transactWithRetry(this.doc, {
        TransactItems: audited(
          {
            Put: {
              TableName: this.table,
              Item: this.item(next),
              ConditionExpression: 'version = :v AND #status = :submitted',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':v': expectedVersion, ':submitted': 'submitted' },
            },
          },
          head,
          by,
        ),
      });
    } catch (e) {
      if (e instanceof TransactionCanceledException || isConditionFailure(e))
        throw new StaleVersionError(expectedVersion);
      throw e;
    }
  }

  /** An organization's own submissions, newest first. */
  listOfOrg(orgId: string, limit: number, cursor?: string): Promise<Page<Submission>> {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: 'org-submissions',
        index: 'gsi1',
        partition: keys.submissionsOfOrg(orgId),
        limit,
        cursor,
        backwards: true,
      },
      SubmissionSchema,
    );
  }

  /**
   * A call's submitted submissions, by lot then id. Callers must check the deadline first: this
   * is the unsealed view (the route answers 409 before the deadline).
   */
  listSubmittedPage(callId: string, limit: number, cursor?: string, lot?: string): Promise<Page<Submission>> {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: `call-submissions#${callId}#${lot ?? ''}`,
        index: 'gsi2',
        partition: keys.submissionsOfCall(callId),
        ...(lot ? { prefix: `${lot}#` } : {}),
        limit,
        cursor,
      },
      SubmissionSchema,
    );
  }

  /** Every submitted submission of a call (all pages), by lot then id. After the deadline only. */
  async listSubmittedForCall(callId: string): Promise<Submission[]> {
    const all: Submission[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listSubmittedPage(callId, 100, cursor);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }
}

function isConditionFailure(e: unknown): boolean {
  return e instanceof Error && e.name === 'ConditionalCheckFailedException';
}
