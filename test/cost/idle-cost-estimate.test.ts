import { App, CfnCondition, CfnResource, Fn, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { newStack } from './helpers';
import { IdleCostEstimate, PriceList } from '../../src';

describe('IdleCostEstimate', () => {
  test('items carry construct path, logical ID, type, description and flags; totals add up', () => {
    // GIVEN
    const stack = newStack();
    new ec2.CfnNatGateway(stack, 'Nat', { subnetId: 'subnet-1' });
    new s3.Bucket(stack, 'Bucket');
    // WHEN
    const estimate = IdleCostEstimate.ofStack(stack);
    // THEN
    expect(estimate.fixedItems).toEqual([expect.objectContaining({
      constructPath: 'S/Nat',
      stackPath: 'S',
      logicalId: 'Nat',
      resourceType: 'AWS::EC2::NatGateway',
      usagePriced: false,
      priced: true,
      freeTierEligible: false,
    })]);
    expect(estimate.usagePricedItems).toEqual([expect.objectContaining({ constructPath: 'S/Bucket/Resource', monthlyUsd: 0, usagePriced: true })]);
    expect(estimate.totalMonthlyUsd).toBe(32.85);
  });

  test('ofApp and ofStage cover every stack; ofConstruct only what is under it', () => {
    // GIVEN
    const app = new App();
    const one = new Stack(app, 'One');
    new kms.Key(one, 'Key');
    const stage = new Stage(app, 'Prod');
    const two = new Stack(stage, 'Two');
    class Service extends Construct {}
    const svc = new Service(two, 'Service');
    new secretsmanager.Secret(svc, 'Secret');
    new kms.Key(two, 'Key');
    // WHEN / THEN
    expect(IdleCostEstimate.ofApp(app).totalMonthlyUsd).toBe(2.4);
    expect(IdleCostEstimate.ofStage(stage).totalMonthlyUsd).toBe(1.4);
    expect(IdleCostEstimate.ofConstruct(svc).totalMonthlyUsd).toBe(0.4);
    expect(IdleCostEstimate.ofApp(app).totalsByConstruct()).toEqual([
      { constructPath: 'One/Key', monthlyUsd: 1, itemCount: 1, unpricedCount: 0 },
      { constructPath: 'Prod/Two/Key', monthlyUsd: 1, itemCount: 1, unpricedCount: 0 },
      { constructPath: 'Prod/Two/Service', monthlyUsd: 0.4, itemCount: 1, unpricedCount: 0 },
    ]);
  });

  test('prices what was synthesized: property overrides are seen', () => {
    // GIVEN
    const stack = newStack();
    const nat = new ec2.CfnNatGateway(stack, 'Nat', { subnetId: 'subnet-1' });
    const ip = new ec2.CfnEIP(stack, 'Ip');
    // WHEN: escape hatches change the synthesized resources
    nat.addPropertyOverride('ConnectivityType', 'private');
    ip.cfnOptions.condition = new CfnCondition(stack, 'WantIp', { expression: Fn.conditionEquals('a', 'b') });
    // THEN
    const items = IdleCostEstimate.ofStack(stack).items;
    expect(items[0].note).toContain('private NAT');
    expect(items[1].note).toContain('created only when condition WantIp holds');
  });

  test('other prices are used when supplied', () => {
    // GIVEN
    const stack = newStack();
    new ec2.CfnNatGateway(stack, 'Nat', { subnetId: 'subnet-1' });
    const prices = PriceList.US_EAST_1_2026_11_21.withOverrides({ natGatewayHourly: 0.05 });
    // WHEN / THEN
    expect(IdleCostEstimate.ofStack(stack, { prices }).totalMonthlyUsd).toBe(36.5);
  });

  test('notes say what is counted, the prices\' date and region, and a region mismatch', () => {
    // GIVEN
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    new kms.Key(stack, 'Key');
    // WHEN
    const notes = IdleCostEstimate.ofStack(stack).notes.join('\n');
    // THEN
    expect(notes).toContain('us-east-1 list prices taken on 2026-11-21');
    expect(notes).toContain('Not counted: data transfer');
    expect(notes).toContain('Stack S is in eu-west-1; the prices are us-east-1 list prices.');
  });

  test('resource types it does not know are named, not silently priced', () => {
    // GIVEN
    const stack = newStack();
    new (class extends Construct {
      constructor(scope: Construct) {
        super(scope, 'Odd');
        new CfnResource(this, 'R', { type: 'AWS::Made::Up' });
      }
    })(stack);
    // WHEN / THEN
    const estimate = IdleCostEstimate.ofStack(stack);
    expect(estimate.unknownResourceTypes).toEqual(['AWS::Made::Up']);
    expect(estimate.toMarkdownTable()).toContain('AWS::Made::Up');
  });

  test('toMarkdownTable and toText list items, the total and the notes', () => {
    // GIVEN
    const stack = newStack();
    new ec2.CfnNatGateway(stack, 'Nat', { subnetId: 'subnet-1' });
    new s3.Bucket(stack, 'Bucket');
    const estimate = IdleCostEstimate.ofStack(stack);
    // WHEN
    const md = estimate.toMarkdownTable();
    const text = estimate.toText();
    // THEN
    expect(md).toContain('| Construct | Resource | What | USD/month | Note |');
    expect(md).toContain('| S/Nat | AWS::EC2::NatGateway | NAT gateway (0.045/h) | 32.85 |');
    expect(md).toContain('| S/Bucket | AWS::S3::Bucket | S3 bucket | usage |');
    expect(md).toContain('| **Total** | | | **32.85** |');
    expect(text).toMatch(/S\/Nat\s+NAT gateway \(0.045\/h\)\s+32.85/);
    expect(text).toContain('Total fixed idle cost: 32.85 USD a month (gross).');
  });

  test('ofTemplateJson prices a synthesized template, with paths from aws:cdk:path', () => {
    // GIVEN
    const json = JSON.stringify({
      Resources: {
        Nat: { Type: 'AWS::EC2::NatGateway', Properties: {}, Metadata: { 'aws:cdk:path': 'App/Vpc/Nat' } },
        Key: { Type: 'AWS::KMS::Key', Properties: {} },
      },
    });
    // WHEN
    const estimate = IdleCostEstimate.ofTemplateJson(json, 'App');
    // THEN
    expect(estimate.items.map((i) => i.constructPath)).toEqual(['App/Vpc/Nat', 'App/Key']);
    expect(estimate.totalMonthlyUsd).toBe(33.85);
  });

  test('ofTemplateJson rejects what is not a template object', () => {
    expect(() => IdleCostEstimate.ofTemplateJson('[]')).toThrow('`templateJson` must be a CloudFormation template object');
  });

  test('annotateAtSynth adds each stack\'s estimate to synth output as info', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'S');
    new kms.Key(stack, 'Key');
    // WHEN
    IdleCostEstimate.annotateAtSynth(app);
    // THEN
    const annotations = Annotations.fromStack(stack);
    annotations.hasInfo('/S', Match.stringLikeRegexp('Idle cost estimate of S: 1.00 USD a month \\(fixed, gross; us-east-1 prices of 2026-11-21\\)'));
    annotations.hasInfo('/S', 'Idle cost of S/Key: 1.00 USD a month');
  });
});
