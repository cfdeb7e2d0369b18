import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeEnvFile } from '../../../functions/local/env-file.ts';
import { ensureLocalKeys } from '../../../functions/local/local-keys.ts';
import { resetDataDir } from '../../../functions/local/reset-data-dir.ts';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'dmbs-env-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const endpoints = { api: 'http://127.0.0.1:3100', s3: 'http://127.0.0.1:4600' };
const sourced = (path: string, names: string[]) =>
  execFileSync('bash', ['-c', `source "$1"; for n in ${names.join(' ')}; do printf '%s=%s\\n' "$n" "\${!n}"; done`, 'bash', path], { encoding: 'utf8' });

describe('the env file (.dmbs/env)', () => {
  it('gives a shell the endpoints and the keys made at this start, owner-only', async () => {
    const keys = await ensureLocalKeys(join(dir, 'keys.json'), { issuerIds: ['demo', 'atlas-dc'] });
    const path = join(dir, 'env');
    await writeEnvFile({ path, endpoints, bucket: 'dmbs-tapes', createdKeys: keys.created! });
    const vars = sourced(path, ['DMBS_PORT', 'DMBS_API', 'DMBS_S3', 'DMBS_BUCKET', 'DMBS_REVIEWER_KEY', 'DMBS_ISSUER_KEY', 'DMBS_ISSUER_KEY_ATLAS_DC', 'AWS_ACCESS_KEY_ID']);
    expect(vars).toContain('DMBS_PORT=3100\n');
    expect(vars).toContain('DMBS_API=http://127.0.0.1:3100\n');
    expect(vars).toContain('DMBS_S3=http://127.0.0.1:4600\n');
    expect(vars).toContain(`DMBS_REVIEWER_KEY=${keys.created!.reviewer}\n`);
    expect(vars).toContain(`DMBS_ISSUER_KEY=${keys.created!.issuers[0]!.token}\n`);
    expect(vars).toContain(`DMBS_ISSUER_KEY_ATLAS_DC=${keys.created!.issuers[1]!.token}\n`);
    expect(vars).toContain('AWS_ACCESS_KEY_ID=S3RVER\n');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('a later start renews the endpoints and keeps the keys it cannot show again', async () => {
    const keys = await ensureLocalKeys(join(dir, 'keys.json'));
    const path = join(dir, 'env');
    await writeEnvFile({ path, endpoints, bucket: 'b', createdKeys: keys.created! });
    await writeEnvFile({ path, endpoints: { api: 'http://127.0.0.1:3200', s3: endpoints.s3 }, bucket: 'b' });
    const text = await readFile(path, 'utf8');
    expect(text).toContain('export DMBS_API=http://127.0.0.1:3200');
    expect(text).not.toContain('3100');
    expect(text).toContain(`export DMBS_REVIEWER_KEY=${keys.created!.reviewer}`);
    expect(text.match(/DMBS_REVIEWER_KEY=/g)).toHaveLength(1);
  });

  it('keys.json gets a key for each issuer asked for', async () => {
    const keys = await ensureLocalKeys(join(dir, 'keys.json'), { issuerIds: ['demo', 'atlas-dc', 'northwind'] });
    expect(keys.count).toBe(4);
    expect(keys.created!.issuers.map((i) => i.issuerId)).toEqual(['demo', 'atlas-dc', 'northwind']);
    const file = JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8')) as { keys: Array<{ role: string; issuerId?: string; token?: string }> };
    expect(file.keys.map((k) => k.issuerId ?? k.role)).toEqual(['reviewer', 'demo', 'atlas-dc', 'northwind']);
    expect(file.keys.every((k) => k.token === undefined)).toBe(true);
  });
});

describe('--reset', () => {
  it('deletes a data directory that holds only what the stack writes', async () => {
    const data = join(dir, 'data');
    await mkdir(join(data, 's3'), { recursive: true });
    await writeFile(join(data, 'keys.json'), '{}');
    await writeFile(join(data, 'env'), '');
    await resetDataDir(data);
    await expect(stat(data)).rejects.toThrow(/ENOENT/);
    await resetDataDir(data); // absent: nothing to do
  });

  it('refuses a folder with anything else in it, naming the entry', async () => {
    await writeFile(join(dir, 'thesis.docx'), 'mine');
    await expect(resetDataDir(dir)).rejects.toThrow(/holds 'thesis\.docx', which the local stack did not write; not deleting it/);
    expect(await readFile(join(dir, 'thesis.docx'), 'utf8')).toBe('mine');
  });
});
