/**
 * ResponseExports over S3 (functions/api/large-responses.ts): a body streamed into the bucket by a
 * multipart upload (@aws-sdk/lib-storage, as the pipeline's artifacts), and a presigned GET of it
 * (the SDK presigner, SigV4 query signing).
 */
import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ResponseExports } from '../api/ports.ts';

export interface S3ResponseExportsOptions {
  /** Client for the uploads. */
  readonly client: S3Client;
  /** Client for presigning (functions/api/s3-upload-presigner.ts presignerClient: no checksum in the URL). */
  readonly presignClient: S3Client;
  readonly bucket: string;
}

/**
 * @example const exports = createS3ResponseExports({ client: s3, presignClient: presignerClient({ region }), bucket });
 */
export function createS3ResponseExports(options: S3ResponseExportsOptions): ResponseExports {
  return {
    async save(key, body, headers) {
      const upload = new Upload({
        client: options.client,
        params: {
          Bucket: options.bucket,
          Key: key,
          Body: Readable.from(body),
          ContentType: headers.contentType,
          ...(headers.contentDisposition ? { ContentDisposition: headers.contentDisposition } : {}),
        },
        partSize: 8 << 20,
        queueSize: 2,
        leavePartsOnError: false,
      });
      await upload.done();
    },
    presignGet(key, expiresInSeconds) {
      return getSignedUrl(options.presignClient, new GetObjectCommand({ Bucket: options.bucket, Key: key }), { expiresIn: expiresInSeconds });
    },
  };
}
