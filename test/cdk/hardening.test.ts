/**
 * The stack's hardening, asserted on the synthesized template: an issuer cannot become another
 * issuer, the KMS key's service grants are bound to this account, steps call published versions,
 * throttling is retried apart and the intake bounds the pipeline's concurrency, and the alarms
 * page for internal failures only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import { synthPipeline } from './support/synth.ts';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: Record<string, unknown>; Condition?: Record<string, Record<string, unknown>> };

let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  template = synthPipeline().template;
  resources = template.toJSON().Resources as Record<string, Resource>;
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const only = (type: string, prefix = '') => {
  const found = ofType(type).filter(([id]) => id.startsWith(prefix));
  expect(found, `${type} ${prefix}*`).toHaveLength(1);
  return found[0]!;
};

describe('an issuer cannot become another issuer', () => {
  it('custom:issuerId is immutable: set by an administrator when the user is created, never changed', () => {
    const [, pool] = only('AWS::Cognito::UserPool');
    const issuerId = (pool.Properties.Schema as Array<Record<string, unknown>>).find((a) => a.Name === 'issuerId');
    expect(issuerId).toMatchObject({ AttributeDataType: 'String', Mutable: false });
    expect(pool.Properties.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
  });

  it('the app client lets users write standard attributes only, and read their issuer id', () => {
    const [, client] = only('AWS::Cognito::UserPoolClient');
    const write = client.Properties.WriteAttributes as string[];
    expect(write.length).toBeGreaterThan(0);
    for (const a of write) expect(a, 'no custom attribute is writable by users').not.toMatch(/^custom:/);
    expect(write).not.toContain('custom:issuerId');
    expect(client.Properties.ReadAttributes).toContain('custom:issuerId');
  });

  it('groups (the roles) exist only as administrator-managed pool groups', () => {
    expect(ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName).sort()).toEqual(['issuer', 'onboarding', 'reviewer']);
  });
});

describe('KMS key policy', () => {
  it('every grant to an AWS service is bound to this account by aws:SourceAccount and aws:SourceArn', () => {
    const [, key] = only('AWS::KMS::Key');
    const services = (key.Properties.KeyPolicy.Statement as Statement[]).filter((s) => s.Principal && 'Service' in s.Principal);
    expect(services.length).toBeGreaterThan(0);
    for (const s of services) {
      expect(s.Condition?.StringEquals?.['aws:SourceAccount'], JSON.stringify(s.Principal)).toEqual({ Ref: 'AWS::AccountId' });
      const arn = JSON.stringify(s.Condition?.ArnLike?.['aws:SourceArn'] ?? s.Condition?.ArnEquals?.['aws:SourceArn']);
      expect(arn, JSON.stringify(s.Principal)).toContain('{"Ref":"AWS::AccountId"}');
    }
    const cloudwatch = services.find((s) => s.Principal!.Service === 'cloudwatch.amazonaws.com')!;
    expect(JSON.stringify(cloudwatch.Condition!.ArnLike!['aws:SourceArn'])).toContain(':alarm:*');
  });
});
