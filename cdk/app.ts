/**
 * The CDK app entry (`cdk.json` runs it): `npm run synth`, `npx cdk deploy`. Context:
 * `dmbs:stackName` (default DmbsPipeline), `dmbs:alarmEmail`.
 */
import { createPipelineApp } from './pipeline-app.ts';

createPipelineApp();
