/**
 * What `npm start` prints once the stack is ready: endpoints, where the data and keys are, the
 * fresh tokens when keys were just created (the only time they are shown), and examples to paste.
 * Pure: returns lines.
 */
import { relative } from 'node:path';
import type { CreatedKeys } from './local-keys.ts';
import { DEMO_ISSUER_ID } from './local-keys.ts';

export interface BannerInput {
  readonly endpoints: { readonly api: string; readonly s3: string; readonly dynamoDb: string };
  readonly bucket: string;
  readonly tableName: string;
  readonly dataDir: string;
  readonly keysFile: string;
  readonly eventsFile: string;
  /** The shell variables file (env-file.ts). */
  readonly envFile: string;
  readonly createdKeys?: CreatedKeys;
  readonly startupMs: number;
  readonly cwd: string;
}

/** The AWS CLI environment for the S3 emulator (checksums only when required: s3rver keeps aws-chunked framing otherwise). */
export const AWS_CLI_ENV = 'AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required';

/** @example process.stdout.write(bannerLines(input).join('\n') + '\n') */
export function bannerLines(input: BannerInput): string[] {
  const show = (p: string) => {
    const r = relative(input.cwd, p);
    return r && !r.startsWith('..') ? r : p;
  };
  const { api, s3, dynamoDb } = input.endpoints;
  const key = `incoming/${DEMO_ISSUER_ID}/deal-1/tape.csv`;
  const lines = [
    `DMBS local stack ready in ${(input.startupMs / 1000).toFixed(1)} s`,
    '',
    `  API and web page   ${api}   (GET /health, /openapi.json; the page is at /)`,
    `  S3 (s3rver)        ${s3}   bucket ${input.bucket}`,
    `  DynamoDB           ${dynamoDb}   table ${input.tableName}`,
    `  Data               ${show(input.dataDir)}   (kept across restarts; delete it to start afresh)`,
    `  API keys           ${show(input.keysFile)}`,
    `  Events             ${show(input.eventsFile)}   (TapeScored / TapeFailed, one JSON line each)`,
    '',
  ];
  if (input.createdKeys) {
    lines.push(
      'New API keys, shown this once (keys.json keeps only their SHA-256):',
      `  reviewer                     ${input.createdKeys.reviewer}`,
      ...input.createdKeys.issuers.map((i) => `  issuer ${i.issuerId.padEnd(21)} ${i.token}`),
      'Lost them? Stop the stack and run `npm start -- --rotate-keys` for new ones (the old ones stop working).',
      '',
    );
  } else {
    lines.push('Using the existing keys.json (its tokens are not shown again; `npm start -- --rotate-keys` makes new ones).', '');
  }
  lines.push(
    `Set up a shell for the commands below (endpoints, and the keys made when keys.json was written):`,
    `  source ${show(input.envFile)}`,
    '',
    'Upload a tape with the AWS CLI (any S3 client that signs with SigV4; credentials S3RVER/S3RVER):',
    `  aws --endpoint-url "$DMBS_S3" s3 cp examples/dmbs-tape.csv "s3://$DMBS_BUCKET/${key}"`,
    '',
    'Then read the result:',
    '  curl -s -H "Authorization: Bearer $DMBS_REVIEWER_KEY" "$DMBS_API/v1/deals/deal-1/tapes"',
    '',
    'Or with the dmbs CLI (uploads through the API, waits for the result):',
    '  DMBS_TOKEN=$DMBS_ISSUER_KEY npx dmbs upload examples/dmbs-tape.csv --deal deal-1',
    '  DMBS_TOKEN=$DMBS_REVIEWER_KEY npx dmbs status',
    '',
    `The reviewers' page: ${api}/ in a browser; sign in with the reviewer key.`,
    '',
    'Stop with Ctrl-C (running tapes finish first; anything cut short is resumed or failed with a reason at the next start).',
  );
  return lines;
}
