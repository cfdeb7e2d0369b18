/**
 * Synthesizes the pipeline app the way `npm run synth` does (cdk.json's context, cdk-nag
 * attached) but without bundling the functions (`aws:cdk:bundling-stacks: []`), once per worker
 * process: the CDK test files run in reused workers (vitest.config.ts, `isolate: false`) and read
 * the one synthesized app and template (they only read them; `app.synth()` again returns the same
 * assembly).
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { createPipelineApp } from '../../../cdk/pipeline-app.ts';
import { REPO_ROOT } from '../../../cdk/pipeline-stack.ts';

let synthesized: ReturnType<typeof synth> | undefined;

export function synthPipeline(): ReturnType<typeof synth> {
  synthesized ??= synth();
  return synthesized;
}

function synth() {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const outdir = mkdtempSync(join(tmpdir(), 'dmbs-cdk-'));
  const built = createPipelineApp({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] }, outdir });
  const template = Template.fromStack(built.stack);
  return { ...built, template, outdir };
}
