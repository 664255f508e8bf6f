import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { keys } from '../db/keys';
import { queryPage, withoutKeys } from '../db/query';
import { type Submission, SubmissionSchema } from '../submissions/model';
import { type Award, AwardSchema, type Challenge, ChallengeSchema } from './model';

const pad = (n: number) => String(n).padStart(6, '0');

/** Reads of awards and challenges; the writes are transactions built by the service. */
export class AwardRepository {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  /** The item of a new award (gsi1: the call's awards by lot and rank). */
  item(a: Award) {
    return {
      ...keys.award(a.id),
      gsi1pk: keys.awardsOfCall(a.callId),
      gsi1sk: `${a.lot ?? '-'}#${pad(a.rank)}#${a.id}`,
      ...a,
    };
  }

  challengeItem(ch: Challenge) {
    return {
      ...keys.challenge(ch.id),
      gsi1pk: keys.challengesOfAward(ch.awardId),
      gsi1sk: `${ch.submittedAt}#${ch.id}`,
      ...ch,
    };
  }

  async get(id: string): Promise<Award | undefined> {
    return (await this.getAsRead(id))?.award;
  }

  /** The award and its item as stored (for the audit chain head and the state after an Update). */
  async getAsRead(id: string): Promise<{ award: Award; raw: Record<string, unknown> } | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.award(id), ConsistentRead: true }),
    );
    return out.Item ? { award: AwardSchema.parse(withoutKeys(out.Item)), raw: out.Item } : undefined;
  }

  async getChallenge(id: string): Promise<Challenge | undefined> {
    return (await this.challengeAsRead(id))?.challenge;
  }

  async challengeAsRead(
    id: string,
  ): Promise<{ challenge: Challenge; raw: Record<string, unknown> } | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.challenge(id), ConsistentRead: true }),
    );
    return out.Item ? { challenge: ChallengeSchema.parse(withoutKeys(out.Item)), raw: out.Item } : undefined;
  }

  /** Every award of a call (a few per lot, or one per funded project). */
  async ofCall(callId: string): Promise<Award[]> {
    const out: Award[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.pageOfCall(callId, 100, cursor);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  pageOfCall(callId: string, limit: number, cursor?: string) {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: `awards#${callId}`,
        index: 'gsi1',
        partition: keys.awardsOfCall(callId),
        limit,
        cursor,
      },
      AwardSchema,
    );
  }

  async challengesOf(awardId: string): Promise<Challenge[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.challengesOfAward(awardId) },
      }),
    );
    return (out.Items ?? []).map((i) => ChallengeSchema.parse(withoutKeys(i)));
  }

  /** Public notices, newest first (gsi2, sparse). */
  publicPage(limit: number, cursor?: string) {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: 'notices',
        index: 'gsi2',
        partition: keys.publicNotices,
        limit,
        cursor,
        backwards: true,
      },
      AwardSchema,
    );
  }

  /** One page of timer items whose windows have closed by `nowIso`, soonest first. */
  async due(
    nowIso: string,
    limit: number,
    start?: Record<string, unknown>,
  ): Promise<{ items: { awardId: string; key: Record<string, string> }[]; next?: Record<string, unknown> }> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk <= :now',
        ExpressionAttributeValues: { ':pk': keys.noticeDuePartition, ':now': `${nowIso}#\uffff` },
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => ({
        awardId: String(i.awardId),
        key: { pk: String(i.pk), sk: String(i.sk) },
      })),
      next: out.LastEvaluatedKey,
    };
  }

  async submissions(ids: readonly string[]): Promise<Map<string, Submission>> {
    const out = new Map<string, Submission>();
    for (let i = 0; i < ids.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.table]: { Keys: ids.slice(i, i + 100).map((id) => keys.submission(id)) },
      };
      while (request && Object.keys(request).length) {
        const res = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of res.Responses?.[this.table] ?? []) {
          const s = SubmissionSchema.parse(withoutKeys(item));
          out.set(s.id, s);
        }
        request = res.UnprocessedKeys as typeof request;
      }
    }
    return out;
  }

  /** Whether an organization has a submitted submission to a call (gsi1: its own submissions). */
  async orgSubmittedTo(orgId: string, callId: string): Promise<boolean> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          FilterExpression: 'callId = :call AND #status = :submitted',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pk': keys.submissionsOfOrg(orgId),
            ':call': callId,
            ':submitted': 'submitted',
          },
          ExclusiveStartKey: start,
        }),
      );
      if (page.Items?.length) return true;
      start = page.LastEvaluatedKey;
    } while (start);
    return false;
  }
}
