import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface DocumentsBucketProps {
  /** How long server access logs are kept. */
  accessLogRetention: Duration;
}

/**
 * Documents (proposals, contracts, reports): private, TLS only, SSE-S3 (available in every
 * partition, no KMS key to manage), versioned, retained when the stack is deleted, with server
 * access logs in a second bucket.
 */
export class DocumentsBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: DocumentsBucketProps) {
    super(scope, id);
    const common = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...common,
      lifecycleRules: [{ expiration: props.accessLogRetention }],
    });
    this.bucket = new Bucket(this, 'Bucket', {
      ...common,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'documents/',
      // No expiry of old versions: 政府采购法 第42条 keeps procurement files at least 15 years.
    });
  }
}
