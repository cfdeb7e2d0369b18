/**
 * `${DMBS_DATA_DIR}/env`: the stack's endpoints and keys as shell variables, so the README's
 * commands paste as written after `source .dmbs/env`. Keys appear here only as `npm start` made
 * them (keys.json keeps digests only); a later start keeps the key lines it finds and renews the
 * endpoints. Owner-only (0600), like keys.json.
 */
import { readFile, writeFile, chmod } from 'node:fs/promises';
import { AWS_CLI_ENV } from './banner.ts';
import type { CreatedKeys } from './local-keys.ts';

export interface EnvFileInput {
  readonly path: string;
  readonly endpoints: { readonly api: string; readonly s3: string };
  readonly bucket: string;
  readonly createdKeys?: CreatedKeys;
}

/** The variable name of an issuer's key: DMBS_ISSUER_KEY for the first, DMBS_ISSUER_KEY_<ID> for each. */
export function issuerKeyVariable(issuerId: string): string {
  return `DMBS_ISSUER_KEY_${issuerId.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

const KEY_LINE = /^export (DMBS_REVIEWER_KEY|DMBS_ISSUER_KEY\w*)=/;

/** Writes the file; returns its lines. */
export async function writeEnvFile(input: EnvFileInput): Promise<string[]> {
  const port = new URL(input.endpoints.api).port;
  const lines = [
    '# The local DMBS stack, written by npm start: source this file in a shell.',
    `export DMBS_PORT=${port}`,
    `export DMBS_API=${input.endpoints.api}`,
    `export DMBS_S3=${input.endpoints.s3}`,
    `export DMBS_BUCKET=${input.bucket}`,
    '# The S3 emulator takes these credentials (checksums only when required: it keeps aws-chunked framing otherwise).',
    `export ${AWS_CLI_ENV}`,
  ];
  if (input.createdKeys) {
    lines.push(`export DMBS_REVIEWER_KEY=${input.createdKeys.reviewer}`, `export DMBS_ISSUER_KEY=${input.createdKeys.issuer}`);
    for (const i of input.createdKeys.issuers) lines.push(`export ${issuerKeyVariable(i.issuerId)}=${i.token}`);
  } else {
    lines.push(...(await previousKeyLines(input.path)));
  }
  await writeFile(input.path, `${lines.join('\n')}\n`, { mode: 0o600 });
  await chmod(input.path, 0o600);
  return lines;
}

async function previousKeyLines(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((l) => KEY_LINE.test(l));
  } catch {
    return [];
  }
}
