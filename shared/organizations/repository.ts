import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
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

  /** Organization, its unique credit code and its first user: all or nothing. */
  async register(org: Organization, user: StoredUser): Promise<void> {
    const city = cityOf(org.jurisdictionPath);
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
            ...new UserRepository(this.doc, this.table).createItems(user),
          ],
        }),
      );
    } catch (e) {
      if (e instanceof TransactionCanceledException) {
        const [credit, , username] = e.CancellationReasons ?? [];
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

  /** Approve or reject a pending organization; leaves the pending index (sparse) either way. */
  async decide(
    id: string,
    version: number,
    status: 'approved' | 'rejected',
    by: string,
    at: string,
    reason?: string,
  ): Promise<Organization> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.organization(id),
          UpdateExpression:
            'SET #status = :status, decidedBy = :by, decidedAt = :at, decisionReason = :reason, version = version + :one REMOVE gsi2pk, gsi2sk',
          ConditionExpression: 'attribute_exists(pk) AND version = :v AND #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':by': by,
            ':at': at,
            ':reason': reason ?? '',
            ':one': 1,
            ':v': version,
            ':pending': 'pending',
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return OrganizationSchema.parse(withoutKeys(out.Attributes!));
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) {
        const old = e.Item as { version?: { N?: string }; status?: { S?: string } } | undefined;
        if (old && Number(old.version?.N) === version) {
          throw new ConflictError('This organization has already been decided.', '该机构已审核', {
            status: old.status?.S,
          });
        }
        throw new StaleVersionError(version);
      }
      throw e;
    }
  }
}
