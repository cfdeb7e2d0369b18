/**
 * Synthesizes the pipeline app the way `npm run synth` does (cdk.json's context, cdk-nag
 * attached) but without bundling the functions (`aws:cdk:bundling-stacks: []`), once per test file.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { createPipelineApp } from '../../../cdk/pipeline-app.ts';
import { REPO_ROOT } from '../../../cdk/pipeline-stack.ts';

export function synthPipeline() {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const outdir = mkdtempSync(join(tmpdir(), 'dmbs-cdk-'));
  const built = createPipelineApp({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] }, outdir });
  const template = Template.fromStack(built.stack);
  return { ...built, template, outdir };
}
