/**
 * ResponseExports over S3 (functions/api/large-responses.ts): a body streamed into the bucket by a
 * multipart upload (@aws-sdk/lib-storage, as the pipeline's artifacts), and a presigned GET of it
 * or of a stored artifact (the SDK presigner, SigV4 query signing; the response-content-type and
 * response-content-disposition overrides are signed with it).
 */
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ResponseExports } from '../pipeline/ports.ts';

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
    presignGet(key, expiresInSeconds, headers) {
      const command = new GetObjectCommand({
        Bucket: options.bucket,
        Key: key,
        ...(headers ? { ResponseContentType: headers.contentType } : {}),
        ...(headers?.contentDisposition ? { ResponseContentDisposition: headers.contentDisposition } : {}),
      });
      return getSignedUrl(options.presignClient, command, { expiresIn: expiresInSeconds });
    },
    async sizeOf(key) {
      try {
        const head = await options.client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key }));
        return head.ContentLength;
      } catch (e) {
        // 403: a missing object, to a role without s3:ListBucket.
        const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (e instanceof NotFound || status === 404 || status === 403) return undefined;
        throw e;
      }
    },
  };
}
