import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { cloudFormationFindings, expectCompliant, nagFindings } from './compliance';
import { CONTROL_TOWER_EXCEPTIONS, renderControlTowerTable } from './control-tower-exceptions';
import { acknowledge, NAG } from '../../src/private/nag';

describe('compliance helper', () => {
  test('reports an unacknowledged cdk-nag finding from each pack', () => {
    const stack = new Stack(new App(), 'S');
    new s3.Bucket(stack, 'Plain');
    const rules = nagFindings(stack).map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'HIPAA.Security-S3BucketLoggingEnabled', 'NIST.800.53.R5-S3BucketLoggingEnabled']));
    expect(() => expectCompliant(stack)).toThrow(/unacknowledged cdk-nag findings:\n.*AwsSolutions-S1 at S\/Plain\/Resource/);
  });

  test('an acknowledgement at the resource silences exactly that rule', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = new s3.Bucket(stack, 'Acked');
    acknowledge(bucket, { ids: [...NAG.s3AccessLogs], reason: 'test' });
    const rules = nagFindings(stack).map((f) => f.rule);
    expect(rules).not.toContain('AwsSolutions-S1');
    expect(rules).toContain('AwsSolutions-S10');
  });

  test('granular ids with several :: are acknowledged too', () => {
    const stack = new Stack(new App(), 'S');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeRegions'], resources: ['*'] }));
    const before = nagFindings(stack).map((f) => f.rule);
    expect(before).toEqual(expect.arrayContaining([...NAG.lambdaBasicExecution, ...NAG.wildcardResource]));
    acknowledge(role, { ids: [...NAG.lambdaBasicExecution], reason: 'logs only' });
    acknowledge(role.node.findChild('DefaultPolicy'), { ids: [...NAG.wildcardResource], reason: 'no resource-level permission' });
    const after = nagFindings(stack).map((f) => f.rule);
    expect(after).not.toContain(NAG.lambdaBasicExecution[0]);
    expect(after).not.toContain(NAG.wildcardResource[0]);
  });

  test('reports CloudFormation validation warnings printed at synth', () => {
    const stack = new Stack(new App(), 'S');
    new rds.CfnDBInstance(stack, 'Db', {
      dbInstanceClass: 'db.t4g.micro', engine: 'postgres', allocatedStorage: '20', masterUsername: 'u', manageMasterUserPassword: true,
    });
    const findings = cloudFormationFindings(stack);
    expect(findings.map((f) => f.rule)).toContain('W9008');
    expect(() => expectCompliant(stack)).toThrow(/CloudFormation validation findings:\n.*W9008 at S\/Db/);
  });

  test('CloudFormation validation findings are acknowledged with their prefixed id', () => {
    const stack = new Stack(new App(), 'S');
    const db = new rds.CfnDBInstance(stack, 'Db', {
      dbInstanceClass: 'db.t4g.micro', engine: 'postgres', allocatedStorage: '20', masterUsername: 'u', manageMasterUserPassword: true,
    });
    acknowledge(db, { ids: ['CloudFormation-Validate::W9008'], reason: 'test' });
    expect(cloudFormationFindings(stack).map((f) => f.rule)).not.toContain('W9008');
  });

  test('a compliant stack passes', () => {
    const stack = new Stack(new App(), 'S');
    new ssm.StringParameter(stack, 'P', { stringValue: 'v' });
    expect(() => expectCompliant(stack)).not.toThrow();
  });
});

describe('the Control Tower compliance table', () => {
  test('README holds the table rendered from the typed list, and lists each control once', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
    const section = readme.split('### AWS Control Tower proactive controls')[1] ?? '';
    expect(section).toContain(renderControlTowerTable());
    const ids = CONTROL_TOWER_EXCEPTIONS.map((e) => e.control);
    expect(new Set(ids).size).toBe(ids.length);
    const listed = [...section.matchAll(/^\| (CT\.[A-Z0-9]+\.PR\.\d+) \|/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual([...ids].sort());
  });
});
