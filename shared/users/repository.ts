import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { audited } from '../audit/record';
import { PROVISIONING_ACTOR } from '../audit/write';
import { cityOf, keys } from '../db/keys';
import { queryPage, withoutKeys } from '../db/query';
import { ConflictError } from '../errors';
import { type StoredUser, StoredUserSchema, type User, UserSchema } from './model';

export interface RefreshRecord {
  hash: string;
  userId: string;
  familyId: string;
  expiresAt: number;
  usedAt?: string;
}

export const usernameTaken = () =>
  new ConflictError('This username is already taken.', '该用户名已被占用', { field: 'username' });

/** Users, their sign-in names, refresh tokens and failed-sign-in counters. */
export class UserRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * The items that create a user: its unique username, the user (both conditional) and the first
   * entry of the user's audit chain (`user.created`, by `actor`: the officer who created the
   * account, the applicant who registered, or PROVISIONING_ACTOR for accounts loaded by scripts).
   * Sessions, refresh tokens and failed-sign-in counters are not audited aggregates.
   */
  createItems(u: StoredUser, actor: string = u.createdBy ?? PROVISIONING_ACTOR) {
    return [
      {
        Put: {
          TableName: this.table,
          Item: { ...keys.username(u.username), userId: u.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...audited(
        {
          Put: {
            TableName: this.table,
            Item: {
              ...keys.user(u.id),
              gsi1pk: keys.usersOfCity(cityOf(u.jurisdictionPath)),
              gsi1sk: `${u.jurisdictionPath}${u.role}#${u.id}`,
              ...u,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        undefined,
        { actor, at: u.createdAt, action: 'user.created' },
      ),
    ];
  }

  async create(u: StoredUser, actor?: string): Promise<void> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: this.createItems(u, actor) }));
    } catch (e) {
      if (e instanceof TransactionCanceledException) throw usernameTaken();
      throw e;
    }
  }

  async byUsername(username: string): Promise<StoredUser | undefined> {
    const link = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.username(username) }));
    if (!link.Item) return undefined;
    return this.byIdWithSecret(String(link.Item.userId));
  }

  async byIdWithSecret(id: string): Promise<StoredUser | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.user(id) }));
    return out.Item ? StoredUserSchema.parse(withoutKeys(out.Item)) : undefined;
  }

  async byId(id: string): Promise<User | undefined> {
    const u = await this.byIdWithSecret(id);
    if (!u) return undefined;
    const { passwordHash: _h, ...user } = u;
    return UserSchema.parse(user);
  }

  /** Users in a jurisdiction subtree: one Query on the city partition by path prefix. */
  async listUnder(jurisdictionPath: string, limit: number, cursor?: string) {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: 'users',
        index: 'gsi1',
        partition: keys.usersOfCity(cityOf(jurisdictionPath)),
        prefix: jurisdictionPath,
        limit,
        cursor,
      },
      // Parsing strips unknown attributes: the password hash never leaves the repository.
      UserSchema,
    );
  }

  // Refresh tokens: stored by hash; a family is revoked as a whole on sign-out or on reuse.

  async putRefresh(r: RefreshRecord): Promise<void> {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { ...keys.refreshToken(r.hash), ...r, ttl: r.expiresAt },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  }

  /** The token, its family's revocation marker and its user, in one round trip. */
  async refreshContext(hash: string) {
    const token = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.refreshToken(hash) }),
    );
    if (!token.Item) return undefined;
    const rec = token.Item as RefreshRecord & { revoked?: boolean };
    const both = await this.doc.send(
      new BatchGetCommand({
        RequestItems: { [this.table]: { Keys: [keys.refreshFamily(rec.familyId), keys.user(rec.userId)] } },
      }),
    );
    const items = both.Responses?.[this.table] ?? [];
    const family = items.find((i) => i.pk === keys.refreshFamily(rec.familyId).pk);
    const user = items.find((i) => i.pk === keys.user(rec.userId).pk);
    return {
      token: rec,
      familyRevoked: Boolean(family?.revoked),
      user: user ? StoredUserSchema.parse(withoutKeys(user)) : undefined,
    };
  }

  /** Marks the old token used and stores its successor atomically; a second use of the old one fails. */
  async rotateRefresh(oldHash: string, next: RefreshRecord, nowIso: string): Promise<boolean> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: keys.refreshToken(oldHash),
                UpdateExpression: 'SET usedAt = :now',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt)',
                ExpressionAttributeValues: { ':now': nowIso },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.refreshToken(next.hash), ...next, ttl: next.expiresAt },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof TransactionCanceledException) return false;
      throw e;
    }
  }

  async revokeFamily(familyId: string, ttl: number): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.refreshFamily(familyId),
        UpdateExpression: 'SET revoked = :t, #ttl = :ttl',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':t': true, ':ttl': ttl },
      }),
    );
  }

  // Failed sign-ins, counted per subject (account or source) and fixed window.

  async failures(subjects: string[], window: number): Promise<number[]> {
    const out = await this.doc.send(
      new BatchGetCommand({
        RequestItems: { [this.table]: { Keys: subjects.map((s) => keys.signInFailures(s, window)) } },
      }),
    );
    const items = out.Responses?.[this.table] ?? [];
    return subjects.map((s) =>
      Number(items.find((i) => i.pk === keys.signInFailures(s, window).pk)?.count ?? 0),
    );
  }

  async recordFailure(subject: string, window: number, ttl: number): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.signInFailures(subject, window),
        UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':ttl': ttl },
      }),
    );
  }
}
