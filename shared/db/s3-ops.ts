/**
 * The S3 operations on documents, with the S3 client and the presigner. Loaded on first use
 * only, through `DocumentStore` (documents.ts): in Lambda this module is a file of its own beside
 * the bundle (LAZY_CHUNKS in infra/bundling.ts), so a function's cold start does not pay for S3.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from '../config';
import { makeS3Client } from './s3';

export type DocumentsConfig = Pick<Config, 'region' | 's3Endpoint' | 'documentsBucket'>;

export interface DocumentOps {
  /** The stored object's length and ETag; S3's own error (404 `NotFound`) when there is none. */
  head(key: string): Promise<{ ContentLength?: number; ETag?: string }>;
  /** A presigned PUT with the type and exact length signed: S3 refuses an upload that differs. */
  signedPut(
    object: { key: string; contentType: string; contentLength: number },
    expiresIn: number,
  ): Promise<string>;
  /** A presigned GET that downloads under the given file name. */
  signedGet(object: { key: string; fileName: string }, expiresIn: number): Promise<string>;
}

export function documentOps(config: DocumentsConfig): DocumentOps {
  const s3 = makeS3Client(config);
  const Bucket = config.documentsBucket;
  return {
    head: (key) => s3.send(new HeadObjectCommand({ Bucket, Key: key })),
    signedPut: ({ key, contentType, contentLength }, expiresIn) =>
      getSignedUrl(
        s3,
        new PutObjectCommand({ Bucket, Key: key, ContentType: contentType, ContentLength: contentLength }),
        { expiresIn, signableHeaders: new Set(['content-type', 'content-length']) },
      ),
    signedGet: ({ key, fileName }, expiresIn) =>
      getSignedUrl(
        s3,
        new GetObjectCommand({
          Bucket,
          Key: key,
          ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        }),
        { expiresIn },
      ),
  };
}
