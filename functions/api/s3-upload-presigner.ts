/**
 * The UploadPresigner over S3 (the real SDK presigner, SigV4 query signing): a PUT of one key
 * with Content-Length signed, so S3 refuses a body of any other length. That is how a presigned
 * PUT gets a maximum size (a PUT cannot carry POST's content-length-range policy).
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { PresignedUpload, UploadPresigner } from './ports.ts';

export interface S3UploadPresignerOptions {
  /**
   * Built with `requestChecksumCalculation: 'WHEN_REQUIRED'` (createAwsClients does so for
   * emulators; `presignerClient` below does so always): otherwise the SDK signs a CRC32 of the
   * empty body into the URL and every real upload fails its checksum.
   */
  readonly client: S3Client;
  readonly bucket: string;
}

/** An S3 client for presigning only, with the checksum setting the presigned PUT needs. */
export function presignerClient(config: ConstructorParameters<typeof S3Client>[0] = {}): S3Client {
  return new S3Client({ ...config, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
}

/**
 * @example const presigner = createS3UploadPresigner({ client: presignerClient({ region }), bucket: 'dmbs-tapes' });
 */
export function createS3UploadPresigner(options: S3UploadPresignerOptions): UploadPresigner {
  let origin: Promise<string> | undefined;
  return {
    origin() {
      // Whatever endpoint, addressing style and region the client has: the origin of a real presigned URL.
      origin ??= getSignedUrl(options.client, new PutObjectCommand({ Bucket: options.bucket, Key: 'incoming/origin' }), { expiresIn: 60 })
        .then((url) => new URL(url).origin);
      return origin;
    },
    async presignPut({ key, contentLength, expiresInSeconds, signingDate }): Promise<PresignedUpload> {
      const command = new PutObjectCommand({ Bucket: options.bucket, Key: key, ContentLength: contentLength });
      const url = await getSignedUrl(options.client, command, {
        expiresIn: expiresInSeconds,
        signingDate,
        signableHeaders: new Set(['content-length']),
      });
      if (/[?&]x-amz-checksum-/i.test(url)) {
        // A signed checksum of the empty body would make every upload fail: refuse to hand it out.
        throw new Error('the S3 client signs request checksums into presigned URLs; build it with presignerClient() (requestChecksumCalculation: WHEN_REQUIRED)');
      }
      return { url, headers: { 'content-length': String(contentLength) } };
    },
  };
}
