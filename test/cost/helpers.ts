import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IdleCostEstimate, IdleCostEstimateOptions, IdleCostItem } from '../../src';

/** A stack in us-east-1, where the embedded prices apply. */
export function newStack(): Stack {
  return new Stack(new App(), 'S', { env: { account: '111111111111', region: 'us-east-1' } });
}

/** The estimate's items for one resource type. */
export function itemsOf(stack: Stack, type: string, options?: IdleCostEstimateOptions): IdleCostItem[] {
  return IdleCostEstimate.ofStack(stack, options).items.filter((i) => i.resourceType === type);
}

/** The sum of the fixed monthly charges of one resource type. */
export function monthlyOf(stack: Stack, type: string, options?: IdleCostEstimateOptions): number {
  return itemsOf(stack, type, options).reduce((sum, i) => sum + i.monthlyUsd, 0);
}

/** A 2-AZ VPC with isolated subnets only: nothing in it costs money idle. */
export function isolatedVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}
