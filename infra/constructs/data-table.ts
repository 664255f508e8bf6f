import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { TableDefinition } from '../../shared/db/table';

/** Item reads: no Scan, which no request path may use (ARCHITECTURE.md, Data). */
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
/** Item writes, transactions included (TransactWriteItems is authorized per contained action). */
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

export type TableAccess = 'read' | 'readWrite';

/**
 * A DynamoDB table built from a definition in shared/db/table.ts, the same definition the local
 * bootstrap uses (so the local and the deployed tables cannot drift). Every key is a string, as
 * in `createTableInput`. On demand, encrypted with the AWS managed key, point-in-time recovery,
 * deletion protection, and retained if the stack is deleted: the data outlives the code.
 */
export class DataTable extends Construct {
  readonly table: Table;
  readonly definition: TableDefinition;

  constructor(scope: Construct, id: string, definition: TableDefinition) {
    super(scope, id);
    this.definition = definition;
    this.table = new Table(this, 'Table', {
      partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
      sortKey: definition.sortKey ? { name: definition.sortKey, type: AttributeType.STRING } : undefined,
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: definition.ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const ix of definition.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: ix.name,
        partitionKey: { name: ix.partitionKey, type: AttributeType.STRING },
        sortKey: { name: ix.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /**
   * Item access to the table and to each of its named indexes: unlike `grantReadWriteData`, no
   * `index/*` wildcard, no Scan, and no table-management actions.
   */
  grantData(grantee: IGrantable, access: TableAccess): Grant {
    const arn = this.table.tableArn;
    return Grant.addToPrincipal({
      grantee,
      actions: access === 'read' ? READ_ACTIONS : [...READ_ACTIONS, ...WRITE_ACTIONS],
      resourceArns: [arn, ...this.definition.indexes.map((ix) => `${arn}/index/${ix.name}`)],
    });
  }
}
