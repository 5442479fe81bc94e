import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as ga from 'aws-cdk-lib/aws-globalaccelerator';
import { isolatedVpc, itemsOf, monthlyOf, newStack } from './helpers';

describe('network pricing', () => {
  test('a NAT gateway per AZ: 0.045 x 730 = 32.85 each, plus its Elastic IP 3.65', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 2 });
    // THEN
    expect(itemsOf(stack, 'AWS::EC2::NatGateway')).toHaveLength(2);
    expect(monthlyOf(stack, 'AWS::EC2::NatGateway')).toBeCloseTo(65.70, 6);
    expect(monthlyOf(stack, 'AWS::EC2::EIP')).toBeCloseTo(7.30, 6);
  });

  test('a VPC without NAT costs nothing', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    // THEN
    expect(monthlyOf(stack, 'AWS::EC2::NatGateway')).toBe(0);
    expect(monthlyOf(stack, 'AWS::EC2::EIP')).toBe(0);
  });

  test('a t4g.nano NAT instance: 0.0042 x 730 = 3.07 plus a public IPv4 3.65', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 1,
      natGatewayProvider: ec2.NatProvider.instanceV2({ instanceType: new ec2.InstanceType('t4g.nano') }),
    });
    // THEN
    const items = itemsOf(stack, 'AWS::EC2::Instance');
    expect(items.map((i) => i.description)).toEqual([
      'NAT instance t4g.nano (0.0042/h)',
      'NAT instance public IPv4 address',
    ]);
    expect(monthlyOf(stack, 'AWS::EC2::Instance')).toBeCloseTo(3.066 + 3.65, 6);
  });

  test('an instance type not in the price list is listed as unpriced, not guessed', () => {
    // GIVEN
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    // WHEN
    new ec2.Instance(stack, 'Bastion', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      instanceType: new ec2.InstanceType('m7g.large'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
    });
    // THEN
    const [item, ...rest] = itemsOf(stack, 'AWS::EC2::Instance');
    expect(rest).toHaveLength(0);
    expect(item.priced).toBe(false);
    expect(item.monthlyUsd).toBe(0);
    expect(item.note).toContain('supply `ec2InstanceHourly`');
  });

  test('an internet-facing ALB over 2 AZs: 0.0225 x 730 = 16.43 plus 2 public IPv4 = 7.30', () => {
    // GIVEN
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    // WHEN
    new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
    // THEN
    const items = itemsOf(stack, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(items.map((i) => i.monthlyUsd)).toEqual([expect.closeTo(16.425, 6), expect.closeTo(7.30, 6)]);
    expect(items[0].note).toContain('LCU');
  });

  test('an internal ALB has no public IPv4 addresses', () => {
    // GIVEN
    const stack = newStack();
    const vpc = isolatedVpc(stack);
    // WHEN
    new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: false });
    // THEN
    expect(monthlyOf(stack, 'AWS::ElasticLoadBalancingV2::LoadBalancer')).toBeCloseTo(16.425, 6);
  });

  test('an internet-facing NLB over 3 AZs: 16.43 plus 3 public IPv4 = 10.95', () => {
    // GIVEN
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 0 });
    // WHEN
    new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc, internetFacing: true });
    // THEN
    expect(monthlyOf(stack, 'AWS::ElasticLoadBalancingV2::LoadBalancer')).toBeCloseTo(16.425 + 10.95, 6);
  });

  test('an interface endpoint in 2 AZs: 2 x 0.01 x 730 = 14.60; gateway endpoints are free', () => {
    // GIVEN
    const stack = newStack();
    const vpc = isolatedVpc(stack);
    // WHEN
    vpc.addInterfaceEndpoint('Logs', { service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS });
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    // THEN
    const items = itemsOf(stack, 'AWS::EC2::VPCEndpoint');
    expect(items).toHaveLength(1);
    expect(items[0].description).toContain('logs');
    expect(items[0].description).toContain('2 AZs');
    expect(items[0].monthlyUsd).toBeCloseTo(14.60, 6);
  });

  test('a Global Accelerator: 0.025 x 730 = 18.25', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new ga.Accelerator(stack, 'Accelerator');
    // THEN
    expect(monthlyOf(stack, 'AWS::GlobalAccelerator::Accelerator')).toBeCloseTo(18.25, 6);
  });

  test('an HTTP API VPC link is listed at 0 with the unconfirmed note', () => {
    // GIVEN
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    // WHEN
    new apigwv2.VpcLink(stack, 'Link', { vpc, subnets: { subnetType: ec2.SubnetType.PUBLIC } });
    // THEN
    const [item] = itemsOf(stack, 'AWS::ApiGatewayV2::VpcLink');
    expect(item.monthlyUsd).toBe(0);
    expect(item.note).toContain('not confirmed');
  });

  test('a standalone Elastic IP: 0.005 x 730 = 3.65', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new ec2.CfnEIP(stack, 'Ip');
    // THEN
    expect(monthlyOf(stack, 'AWS::EC2::EIP')).toBeCloseTo(3.65, 6);
  });
});
