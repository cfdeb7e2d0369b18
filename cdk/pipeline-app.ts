/**
 * Builds the CDK app: the pipeline stack with the AwsSolutions cdk-nag checks attached. Shared by
 * cdk/app.ts (the `cdk` CLI) and the CDK tests, so the tests check what is deployed.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PipelineStack, type PipelineStackProps } from './pipeline-stack.ts';

export const DEFAULT_STACK_NAME = 'DmbsPipeline';

export interface PipelineAppOptions {
  /** Context values (cdk.json's `context`, `-c key=value`). */
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
  readonly stackProps?: PipelineStackProps;
}

export function createPipelineApp(options: PipelineAppOptions = {}): { app: App; stack: PipelineStack; nag: AwsSolutionsChecks } {
  const app = new App({ ...(options.context ? { context: options.context } : {}), ...(options.outdir ? { outdir: options.outdir } : {}) });
  const name = (app.node.tryGetContext('dmbs:stackName') as string | undefined) ?? DEFAULT_STACK_NAME;
  const alarmEmail = app.node.tryGetContext('dmbs:alarmEmail') as string | undefined;
  const stack = new PipelineStack(app, name, {
    description: 'DMBS tape pipeline: S3 -> EventBridge -> Step Functions -> Lambda -> DynamoDB/S3, HTTP API',
    ...(process.env.CDK_DEFAULT_ACCOUNT && process.env.CDK_DEFAULT_REGION
      ? { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } }
      : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...options.stackProps,
  });
  const nag = new AwsSolutionsChecks(app, { verbose: true });
  Validations.of(app).addPlugins(nag);
  return { app, stack, nag };
}
