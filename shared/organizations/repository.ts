import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { audited, headOf } from '../audit/record';
import { readRoot, stateAfter } from '../audit/write';
import { cityOf, keys } from '../db/keys';
import { queryPage, withoutKeys } from '../db/query';
import { ConflictError, StaleVersionError } from '../errors';
import type { StoredUser } from '../users/model';
import { UserRepository, usernameTaken } from '../users/repository';
import { type Organization, OrganizationSchema } from './model';

export class OrganizationRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Organization, its unique credit code and its first user, with the first audit entry of the
   * organization (`organization.registered`) and of the user (`user.created`): all or nothing.
   * The applicant registers themselves, so the new user is the actor of both.
   */
  async register(org: Organization, user: StoredUser): Promise<void> {
    const city = cityOf(org.jurisdictionPath);
    const by = { actor: user.id, at: org.createdAt };
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.creditCode(org.creditCode), orgId: org.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...audited(
              {
                Put: {
                  TableName: this.table,
                  Item: {
                    ...keys.organization(org.id),
                    gsi1pk: keys.organizationsOfCity(city),
                    gsi1sk: `${org.jurisdictionPath}${org.id}`,
                    gsi2pk: keys.pendingOrganizations(city),
                    gsi2sk: `${org.jurisdictionPath}${org.createdAt}#${org.id}`,
                    ...org,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              undefined,
              { ...by, action: 'organization.registered' },
            ),
            ...new UserRepository(this.doc, this.table).createItems(user, by.actor),
          ],
        }),
      );
    } catch (e) {
      if (e instanceof TransactionCanceledException) {
        // Action order: credit code, organization, its entry, username, user, its entry.
        const [credit, , , username] = e.CancellationReasons ?? [];
        if (credit?.Code === 'ConditionalCheckFailed') {
          throw new ConflictError(
            'An organization with this credit code is already registered.',
            '该统一社会信用代码已注册',
            {
              field: 'organization.creditCode',
            },
          );
        }
        if (username?.Code === 'ConditionalCheckFailed') throw usernameTaken();
      }
      throw e;
    }
  }

  async get(id: string): Promise<Organization | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.organization(id) }));
    return out.Item ? OrganizationSchema.parse(withoutKeys(out.Item)) : undefined;
  }

  list(jurisdictionPath: string, pendingOnly: boolean, limit: number, cursor?: string) {
    const city = cityOf(jurisdictionPath);
    return queryPage(
      this.doc,
      pendingOnly
        ? {
            tableName: this.table,
            list: 'orgs-pending',
            index: 'gsi2',
            partition: keys.pendingOrganizations(city),
            prefix: jurisdictionPath,
            limit,
            cursor,
          }
        : {
            tableName: this.table,
            list: 'orgs',
            index: 'gsi1',
            partition: keys.organizationsOfCity(city),
            prefix: jurisdictionPath,
            limit,
            cursor,
          },
      OrganizationSchema,
    );
  }

  /**
   * Approve or reject a pending organization (`organization.approved` / `.rejected`, by `by`);
   * leaves the pending index (sparse) either way.
   */
  async decide(
    id: string,
    version: number,
    status: 'approved' | 'rejected',
    by: string,
    at: string,
    reason?: string,
  ): Promise<Organization> {
    const key = keys.organization(id);
    const check = (raw: Record<string, unknown> | undefined) => {
      if (!raw || raw.version !== version) throw new StaleVersionError(version);
      if (raw.status !== 'pending')
        throw new ConflictError('This organization has already been decided.', '该机构已审核', {
          status: raw.status,
        });
      return raw;
    };
    const raw = check(await readRoot(this.doc, this.table, key));
    const set = { status, decidedBy: by, decidedAt: at, decisionReason: reason ?? '', version: version + 1 };
    const next = stateAfter(raw, set, ['gsi2pk', 'gsi2sk']);
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: audited(
            {
              Update: {
                TableName: this.table,
                Key: key,
                UpdateExpression:
                  'SET #status = :status, decidedBy = :by, decidedAt = :at, decisionReason = :reason, version = :next REMOVE gsi2pk, gsi2sk',
                ConditionExpression: 'attribute_exists(pk) AND version = :v AND #status = :pending',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':status': status,
                  ':by': by,
                  ':at': at,
                  ':reason': reason ?? '',
                  ':next': version + 1,
                  ':v': version,
                  ':pending': 'pending',
                },
              },
            },
            headOf(raw),
            { actor: by, at, action: `organization.${status}`, state: next },
          ),
        }),
      );
    } catch (e) {
      if (e instanceof TransactionCanceledException) {
        check(await readRoot(this.doc, this.table, key));
        throw new StaleVersionError(version);
      }
      throw e;
    }
    return OrganizationSchema.parse(withoutKeys(next));
  }
}
