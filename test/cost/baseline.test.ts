import { App } from 'aws-cdk-lib';
import { buildBaseline } from '../../bench/baseline';

describe('baseline: the same system from aws-cdk-lib defaults', () => {
  const { estimate } = buildBaseline(new App());
  const sum = (type: string) => estimate.items.filter((i) => i.resourceType === type).reduce((s, i) => s + i.monthlyUsd, 0);

  test('ALB Fargate service at its defaults: 65.70 + 7.30 + 16.43 + 7.30 + 9.01 = about 105.74 (PRICES.md)', () => {
    // THEN
    expect(sum('AWS::EC2::NatGateway')).toBeCloseTo(65.70, 6);
    expect(sum('AWS::EC2::EIP')).toBeCloseTo(7.30, 6);
    expect(sum('AWS::ElasticLoadBalancingV2::LoadBalancer')).toBeCloseTo(16.425 + 7.30, 6);
    expect(sum('AWS::ECS::Service')).toBeCloseTo(9.010025, 6);
    const serviceAndNetwork = ['AWS::EC2::NatGateway', 'AWS::EC2::EIP', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ECS::Service']
      .reduce((s, t) => s + sum(t), 0);
    expect(Math.round(serviceAndNetwork * 100) / 100).toBe(105.74);
  });

  test('plus RDS db.t4g.micro 11.68, its default 100 GB of gp2 storage 11.50 and its secret 0.40', () => {
    // THEN
    expect(sum('AWS::RDS::DBInstance')).toBeCloseTo(11.68 + 11.5, 6);
    expect(sum('AWS::SecretsManager::Secret')).toBeCloseTo(0.40, 6);
    expect(estimate.unpricedItems).toEqual([]);
  });

  test('CodeBuild, S3 and CloudFront are usage-priced: 0 fixed', () => {
    // THEN
    const usage = estimate.usagePricedItems.map((i) => i.resourceType);
    expect(usage).toEqual(expect.arrayContaining(['AWS::CodeBuild::Project', 'AWS::S3::Bucket', 'AWS::CloudFront::Distribution']));
    expect(sum('AWS::CodeBuild::Project') + sum('AWS::S3::Bucket') + sum('AWS::CloudFront::Distribution')).toBe(0);
  });

  test('total: 105.735 + 11.68 + 100 GB gp2 x 0.115 + 0.40 = 129.32 a month idle', () => {
    // THEN
    expect(estimate.totalMonthlyUsd).toBe(129.32);
    expect(estimate.unknownResourceTypes).toEqual([]);
  });
});
