/** Runtime configuration, read once from the environment. Every function and the local server share it. */
export interface Config {
  region: string;
  tableName: string;
  idempotencyTableName: string;
  /** Override for a local DynamoDB-protocol server (moto) or any other endpoint. */
  dynamoEndpoint?: string;
  /** Token issuer and audience, checked on every verification. */
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Where the signing keys come from: a local file (development) or a Secrets Manager secret. */
  signingKeySecretArn?: string;
  publicKeysSecretArn?: string;
  localKeyFile?: string;
  /** S3 bucket for attachments (moto's S3 locally, on the DynamoDB endpoint). */
  documentsBucket: string;
  /** Override for a local S3-protocol server (moto). */
  s3Endpoint?: string;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes: number;
  /**
   * Page upload forms (multipart/form-data, the only non-JSON bodies): the page's file limit
   * (PAGE_UPLOAD_BYTES) plus the form's other fields.
   */
  maxUploadBodyBytes: number;
  /** Cookies get the Secure flag everywhere but on plain-http loopback. */
  secureCookies: boolean;
}

/**
 * A file sent through a page form passes through the function: API Gateway hands a binary body to
 * Lambda base64-encoded (4/3 of its size) and a Lambda request is at most 6 MB, so 4 MiB
 * (≈ 5.6 MB encoded). Larger files (up to 20 MiB) go straight to storage through presigned URLs.
 */
export const PAGE_UPLOAD_BYTES = 4 * 1024 * 1024;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    region: env.AWS_REGION ?? 'us-east-1',
    tableName: env.TABLE_NAME ?? 'grant-platform',
    idempotencyTableName: env.IDEMPOTENCY_TABLE_NAME ?? 'grant-platform-idempotency',
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    issuer: env.TOKEN_ISSUER ?? 'https://grant-platform.local',
    audience: env.TOKEN_AUDIENCE ?? 'grant-platform-api',
    accessTokenTtlSeconds: Number(env.ACCESS_TOKEN_TTL ?? 900),
    refreshTokenTtlSeconds: Number(env.REFRESH_TOKEN_TTL ?? 14 * 24 * 3600),
    signingKeySecretArn: env.SIGNING_KEY_SECRET_ARN || undefined,
    publicKeysSecretArn: env.PUBLIC_KEYS_SECRET_ARN || undefined,
    localKeyFile: env.LOCAL_KEY_FILE || undefined,
    documentsBucket: env.DOCUMENTS_BUCKET ?? 'grant-platform-documents',
    s3Endpoint: env.S3_ENDPOINT || undefined,
    maxBodyBytes: Number(env.MAX_BODY_BYTES ?? 256 * 1024),
    maxUploadBodyBytes: Number(env.MAX_UPLOAD_BODY_BYTES ?? PAGE_UPLOAD_BYTES + 64 * 1024),
    secureCookies: env.SECURE_COOKIES !== 'false',
  };
}
