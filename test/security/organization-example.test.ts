import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildOrganizationApp } from '../../examples/organization/app';
import { IdleCostEstimate } from '../../src';
import { expectCompliant } from '../helpers/compliance';

describe('the organization example', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    // No credentials and no profile: synth must not need AWS.
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
    process.env.AWS_CONFIG_FILE = path.join(os.tmpdir(), 'no-aws-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(os.tmpdir(), 'no-aws-credentials');
  });
  afterAll(() => {
    process.env = saved;
  });

  test('synthesizes without AWS credentials: units, accounts, policies and an organization trail', () => {
    // GIVEN
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'organization-')) });
    // WHEN
    const { stack, layout } = buildOrganizationApp(app);
    const assembly = app.synth();
    // THEN
    expect(assembly.stacks.map((s) => s.stackName)).toEqual(['LeanOrganization']);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Organizations::OrganizationalUnit', 5);
    template.resourceCountIs('AWS::Organizations::Account', 4);
    template.resourceCountIs('AWS::Organizations::Policy', 4);
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsOrganizationTrail: true,
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
    });
    expect(layout.securityAccount?.accountName).toBe('security');
    expect(IdleCostEstimate.ofStack(stack).totalMonthlyUsd).toBe(1);
    expectCompliant(stack);
  });
});
