import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config';

/** S3 for documents; locally moto (path-style addressing on its loopback port). */
export function makeS3Client(config: Pick<Config, 'region' | 's3Endpoint'>): S3Client {
  return new S3Client({
    region: config.region,
    ...(config.s3Endpoint
      ? {
          endpoint: config.s3Endpoint,
          forcePathStyle: true,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
  });
}
