import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sd from 'aws-cdk-lib/aws-servicediscovery';
import { itemsOf, monthlyOf, newStack } from './helpers';

function service(opts: {
  arm?: boolean;
  desiredCount?: number;
  publicIp?: boolean;
  strategy?: ecs.CapacityProviderStrategy[];
  cloudMap?: boolean;
  minCapacity?: number;
  cpu?: number;
  memory?: number;
}) {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, enableFargateCapacityProviders: opts.strategy !== undefined });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task', {
    cpu: opts.cpu ?? 256,
    memoryLimitMiB: opts.memory ?? 512,
    runtimePlatform: opts.arm
      ? { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX }
      : undefined,
  });
  taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx') });
  if (opts.cloudMap) cluster.addDefaultCloudMapNamespace({ name: 'app.internal', vpc });
  const svc = new ecs.FargateService(stack, 'Service', {
    cluster,
    taskDefinition,
    desiredCount: opts.desiredCount ?? 1,
    assignPublicIp: opts.publicIp,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    capacityProviderStrategies: opts.strategy,
    cloudMapOptions: opts.cloudMap ? { name: 'api' } : undefined,
    minHealthyPercent: 100,
  });
  if (opts.minCapacity !== undefined) svc.autoScaleTaskCount({ minCapacity: opts.minCapacity, maxCapacity: 10 });
  return stack;
}

describe('Fargate pricing', () => {
  test('one ARM64 task of 0.25 vCPU / 0.5 GB: (0.25 x 0.03238 + 0.5 x 0.00356) x 730 = 7.21', () => {
    // GIVEN / WHEN
    const stack = service({ arm: true });
    // THEN
    const [item] = itemsOf(stack, 'AWS::ECS::Service');
    expect(item.description).toBe('1 Fargate task, 0.25 vCPU / 0.5 GB ARM64');
    expect(item.monthlyUsd).toBeCloseTo(7.20875, 6);
  });

  test('one x86_64 task of the same size: (0.25 x 0.04048 + 0.5 x 0.004445) x 730 = 9.01', () => {
    // GIVEN / WHEN
    const stack = service({});
    // THEN
    expect(monthlyOf(stack, 'AWS::ECS::Service')).toBeCloseTo(9.010025, 6);
  });

  test('size and count multiply: 2 x86_64 tasks of 1 vCPU / 2 GB = 2 x (0.04048 + 2 x 0.004445) x 730 = 72.08', () => {
    // GIVEN / WHEN
    const stack = service({ desiredCount: 2, cpu: 1024, memory: 2048 });
    // THEN
    expect(monthlyOf(stack, 'AWS::ECS::Service')).toBeCloseTo(2 * (0.04048 + 2 * 0.004445) * 730, 6);
  });

  test('a service that autoscales idles at its minimum capacity, not its desired count', () => {
    // GIVEN / WHEN
    const stack = service({ desiredCount: 1, minCapacity: 2 });
    // THEN
    const [item] = itemsOf(stack, 'AWS::ECS::Service');
    expect(item.monthlyUsd).toBeCloseTo(2 * 9.010025, 6);
    expect(item.note).toContain('autoscaling minimum capacity');
  });

  test('a public IPv4 per task when tasks get one: 2 x 3.65 = 7.30', () => {
    // GIVEN / WHEN
    const stack = service({ desiredCount: 2, arm: true, publicIp: true });
    // THEN
    const items = itemsOf(stack, 'AWS::ECS::Service');
    expect(items[1].description).toBe('2 public IPv4 addresses (one per task)');
    expect(items[1].monthlyUsd).toBeCloseTo(7.30, 6);
  });

  test('Spot share from the capacity provider strategy: base 1 on demand, then 1:1 -> 2 on demand + 1 Spot at 70% off', () => {
    // GIVEN / WHEN
    const stack = service({
      desiredCount: 3,
      strategy: [
        { capacityProvider: 'FARGATE', base: 1, weight: 1 },
        { capacityProvider: 'FARGATE_SPOT', weight: 1 },
      ],
    });
    // THEN
    const [item] = itemsOf(stack, 'AWS::ECS::Service');
    expect(item.monthlyUsd).toBeCloseTo(2 * 9.010025 + 0.3 * 9.010025, 6);
    expect(item.note).toContain('1 of 3 on Fargate Spot');
    expect(item.note).toContain('an estimate');
  });

  test('ARM64 tasks cannot use Spot: priced on demand with a note', () => {
    // GIVEN / WHEN
    const stack = service({ arm: true, strategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] });
    // THEN
    const [item] = itemsOf(stack, 'AWS::ECS::Service');
    expect(item.monthlyUsd).toBeCloseTo(7.20875, 6);
    expect(item.note).toContain('cannot run on Fargate Spot');
  });

  test('Cloud Map: a private DNS namespace is a hosted zone (0.50) and each task a registered instance (0.10)', () => {
    // GIVEN / WHEN
    const stack = service({ desiredCount: 2, arm: true, cloudMap: true });
    // THEN
    const items = itemsOf(stack, 'AWS::ECS::Service');
    expect(items.map((i) => i.description)).toContain('2 Cloud Map registered instances (0.10/month)');
    expect(items.find((i) => i.description.startsWith('2 Cloud Map'))?.monthlyUsd).toBeCloseTo(0.20, 6);
    expect(monthlyOf(stack, 'AWS::ServiceDiscovery::PrivateDnsNamespace')).toBeCloseTo(0.50, 6);
  });

  test('a Cloud Map HTTP namespace is free and a registered instance resource costs 0.10', () => {
    // GIVEN
    const stack = newStack();
    const ns = new sd.HttpNamespace(stack, 'Ns', { name: 'apps' });
    // WHEN
    ns.createService('Svc').registerNonIpInstance('I', { customAttributes: { url: 'https://example.com' } });
    // THEN
    expect(itemsOf(stack, 'AWS::ServiceDiscovery::HttpNamespace')).toHaveLength(0);
    expect(monthlyOf(stack, 'AWS::ServiceDiscovery::Instance')).toBeCloseTo(0.10, 6);
  });

  test('an ECS service on EC2 capacity is priced as its instances, not as Fargate', () => {
    // GIVEN
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const td = new ecs.Ec2TaskDefinition(stack, 'Task');
    td.addContainer('app', { image: ecs.ContainerImage.fromRegistry('nginx'), memoryLimitMiB: 256 });
    // WHEN
    new ecs.Ec2Service(stack, 'Service', { cluster, taskDefinition: td, minHealthyPercent: 100 });
    // THEN
    const [item] = itemsOf(stack, 'AWS::ECS::Service');
    expect(item.monthlyUsd).toBe(0);
    expect(item.note).toContain('priced as those instances');
  });
});
