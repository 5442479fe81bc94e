import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Egress, EgressKind, INetwork, InterfaceEndpoint, Network, Profile } from '../../src';
import { expectCompliant } from '../helpers/compliance';

function stack(): Stack {
  return new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
}

function subnetsOf(template: Template): { [logicalId: string]: string } {
  const out: { [logicalId: string]: string } = {};
  for (const [id, r] of Object.entries(template.findResources('AWS::EC2::Subnet'))) out[id] = (r as { Properties: { CidrBlock: string } }).Properties.CidrBlock;
  return out;
}

describe('Network', () => {
  test('the default costs nothing idle: public and isolated subnets over 2 AZs, no NAT, no interface endpoint', () => {
    // GIVEN
    const s = stack();
    // WHEN
    const network = new Network(s, 'Net');
    // THEN
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::EC2::Subnet', 4);
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::EC2::Instance', 0);
    t.resourceCountIs('AWS::EC2::EIP', 0);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['.s3'])]) }) });
    t.hasResourceProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false, CidrBlock: '10.0.0.0/24' });
    expect(network.vpc.isolatedSubnets).toHaveLength(2);
    expect(network.vpc.publicSubnets).toHaveLength(2);
    expect(network.vpc.privateSubnets).toHaveLength(0);
    expect(network.egress.kind).toBe(EgressKind.NONE);
    expect(network.interfaceEndpointServices).toEqual([]);
  });

  test('restricts the default security group', () => {
    const s = stack();
    new Network(s, 'Net');
    Template.fromStack(s).resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('flow logs go to CloudWatch Logs with retention in production profiles', () => {
    const s = stack();
    const network = new Network(s, 'Net', { profile: Profile.COST_CONSCIOUS_PRODUCTION });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    t.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
    // a managed policy, not an inline one
    t.resourceCountIs('AWS::IAM::Policy', 0);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'] })] },
    });
    expect(network.flowLog).toBeDefined();
  });

  test('no flow logs in development, unless asked', () => {
    const dev = stack();
    new Network(dev, 'Net', { profile: Profile.DEVELOPMENT });
    Template.fromStack(dev).resourceCountIs('AWS::EC2::FlowLog', 0);
    const asked = stack();
    new Network(asked, 'Net', { profile: Profile.DEVELOPMENT, flowLogs: true });
    Template.fromStack(asked).resourceCountIs('AWS::EC2::FlowLog', 1);
  });

  test('the highly available profile adds a NAT gateway per AZ and private subnets', () => {
    const s = stack();
    const network = new Network(s, 'Net', { profile: Profile.HIGHLY_AVAILABLE_PRODUCTION });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::EC2::NatGateway', 2);
    t.resourceCountIs('AWS::EC2::Subnet', 6);
    expect(network.egress.kind).toBe(EgressKind.NAT_GATEWAY_PER_AZ);
    expect(network.vpc.privateSubnets).toHaveLength(2);
  });

  test('an explicit egress overrides the profile', () => {
    const s = stack();
    new Network(s, 'Net', { profile: Profile.HIGHLY_AVAILABLE_PRODUCTION, egress: Egress.none() });
    Template.fromStack(s).resourceCountIs('AWS::EC2::NatGateway', 0);
    const one = stack();
    new Network(one, 'Net', { egress: Egress.natGateway(), maxAzs: 3 });
    Template.fromStack(one).resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('a NAT instance is a Graviton Amazon Linux 2023 instance closed to the internet', () => {
    // GIVEN
    const s = stack();
    // WHEN
    const network = new Network(s, 'Net', { egress: Egress.natInstance() });
    // THEN
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::EC2::Instance', 1);
    t.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.nano',
      SourceDestCheck: false,
      ImageId: { Ref: Match.stringLikeRegexp('al2023.*arm64') },
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: Match.objectLike({ Encrypted: true }) }],
      LaunchTemplate: Match.objectLike({ LaunchTemplateId: Match.anyValue() }),
    });
    t.hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: { MetadataOptions: Match.objectLike({ HttpTokens: 'required' }) } });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Security Group for NAT instances',
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.0.0.0/16', IpProtocol: '-1' })],
    });
    expect(network.natProvider).toBeInstanceOf(ec2.NatInstanceProviderV2);
    expect(network.vpc.privateSubnets).toHaveLength(2);
  });

  test('interface endpoints only on request, in the data subnets, admitting HTTPS from the VPC', () => {
    const s = stack();
    const network = new Network(s, 'Net', { interfaceEndpoints: [InterfaceEndpoint.ECR_API, InterfaceEndpoint.ECR_DKR, InterfaceEndpoint.LOGS, InterfaceEndpoint.SECRETS_MANAGER] });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 5);
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', ServiceName: 'com.amazonaws.eu-west-1.ecr.api', PrivateDnsEnabled: true });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.0.0.0/16', FromPort: 443, ToPort: 443 })],
    });
    expect(network.interfaceEndpointServices).toEqual(['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager']);
    expect(Object.keys(network.interfaceEndpoints)).toEqual(['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager']);
  });

  test('rejects an unknown or repeated interface endpoint name', () => {
    expect(() => new Network(stack(), 'Net', { interfaceEndpoints: [InterfaceEndpoint.of('ecr')] })).toThrow('`interfaceEndpoints` must be the short name of an AWS service with interface endpoints');
    expect(() => new Network(stack(), 'Net', { interfaceEndpoints: [InterfaceEndpoint.LOGS, InterfaceEndpoint.LOGS] })).toThrow('`interfaceEndpoints` must not name a service twice, got: \'logs\' twice');
  });

  test('rejects zero AZs, a bad CIDR and conflicting props', () => {
    expect(() => new Network(stack(), 'Net', { maxAzs: 0 })).toThrow('`maxAzs` must be an integer between 1 and 6, got: 0');
    expect(() => new Network(stack(), 'Net', { cidr: '10.0.0.0/24' })).toThrow('`cidr` must be an IPv4 CIDR block from /16 to /18');
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Existing');
    expect(() => new Network(s, 'Net', { vpc, cidr: '10.1.0.0/16' })).toThrow('`vpc` and `cidr` cannot both be set');
    expect(() => new Network(stack(), 'Net', { existingInterfaceEndpoints: [InterfaceEndpoint.SSM] })).toThrow('`existingInterfaceEndpoints` describes an existing `vpc`');
  });

  test('fromVpc describes an existing VPC and adds nothing to it', () => {
    // GIVEN
    const s = stack();
    const vpc = ec2.Vpc.fromVpcAttributes(s, 'Imported', {
      vpcId: 'vpc-1',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-1', 'subnet-2'],
    });
    // WHEN
    const network: INetwork = Network.fromVpc(s, 'Net', vpc, { egress: Egress.natGateway(), interfaceEndpoints: [InterfaceEndpoint.SSM, InterfaceEndpoint.SSM_MESSAGES] });
    // THEN
    const t = Template.fromStack(s);
    expect(Object.keys(t.toJSON().Resources ?? {})).toEqual([]);
    expect(network.vpc).toBe(vpc);
    expect(network.egress.kind).toBe(EgressKind.NAT_GATEWAY);
    expect(network.interfaceEndpointServices).toEqual(['ssm', 'ssmmessages']);
  });

  test('an existing vpc prop gets only the endpoints asked for; its egress is none unless told', () => {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Existing', { natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const network = new Network(s, 'Net', { vpc, interfaceEndpoints: [InterfaceEndpoint.SECRETS_MANAGER] });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::EC2::VPC', 1);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    t.resourceCountIs('AWS::EC2::FlowLog', 0);
    expect(network.egress.kind).toBe(EgressKind.NONE);
    expect(network.interfaceEndpointServices).toEqual(['secretsmanager']);
    expectCompliant(s.node.findChild('Net'));
  });

  test('public and isolated subnets keep their logical IDs and CIDR blocks across profiles', () => {
    const subnetsBy = (profile: Profile) => {
      const s = stack();
      new Network(s, 'Net', { profile });
      return subnetsOf(Template.fromStack(s));
    };
    const dev = subnetsBy(Profile.DEVELOPMENT);
    const prod = subnetsBy(Profile.COST_CONSCIOUS_PRODUCTION);
    const ha = subnetsBy(Profile.HIGHLY_AVAILABLE_PRODUCTION);
    const isolated = Object.keys(dev).filter((id) => id.includes('Data'));
    expect(isolated).toHaveLength(2);
    expect(prod).toEqual(dev);
    for (const [id, cidr] of Object.entries(dev)) expect(ha[id]).toBe(cidr);
    expect(Object.keys(ha).filter((id) => id.includes('Private'))).toHaveLength(2);
  });

  test.each([
    ['development', Profile.DEVELOPMENT, undefined],
    ['cost-conscious production', Profile.COST_CONSCIOUS_PRODUCTION, undefined],
    ['highly available production', Profile.HIGHLY_AVAILABLE_PRODUCTION, undefined],
    ['a NAT instance', Profile.COST_CONSCIOUS_PRODUCTION, Egress.natInstance()],
    ['one NAT gateway', Profile.DEVELOPMENT, Egress.natGateway()],
  ])('is compliant in %s', (_name, profile, egress) => {
    const s = stack();
    new Network(s, 'Net', { profile, egress, interfaceEndpoints: [InterfaceEndpoint.SECRETS_MANAGER] });
    expectCompliant(s);
  });

  describe('synth without AWS credentials', () => {
    test('an explicit account and region need no availability-zone lookup: zones come from Fn::GetAZs', () => {
      // GIVEN a stack with an explicit account and region and no context from an earlier lookup
      const app = new App();
      const s = new Stack(app, 'Offline', { env: { account: '123456789012', region: 'eu-west-1' } });
      // WHEN
      new Network(s, 'Net');
      const assembly = app.synth();
      // THEN nothing is missing from the context (the CDK CLI would otherwise call AWS), and the
      // subnets take the region's first two zones at deploy time
      expect(assembly.manifest.missing ?? []).toEqual([]);
      const t = Template.fromStack(s);
      t.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': 'eu-west-1' }] } });
      t.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: { 'Fn::Select': [1, { 'Fn::GetAZs': 'eu-west-1' }] } });
    });

    test('zones already in the context (cdk.context.json) stay pinned by name', () => {
      const app = new App({ context: { 'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] } });
      const s = new Stack(app, 'Pinned', { env: { account: '123456789012', region: 'eu-west-1' } });
      new Network(s, 'Net');
      Template.fromStack(s).hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: 'eu-west-1b' });
    });

    test('availabilityZones names the zones; it excludes maxAzs and an existing vpc, and cannot be empty', () => {
      const s = stack();
      new Network(s, 'Net', { availabilityZones: ['eu-west-1b', 'eu-west-1c'] });
      const t = Template.fromStack(s);
      t.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: 'eu-west-1c' });
      t.resourceCountIs('AWS::EC2::Subnet', 4);
      expect(() => new Network(stack(), 'N', { availabilityZones: ['eu-west-1a'], maxAzs: 2 })).toThrow(/`availabilityZones` and `maxAzs`/);
      expect(() => new Network(stack(), 'N', { availabilityZones: [] })).toThrow('`availabilityZones` must name at least one Availability Zone, got: []');
    });
  });
});

describe('aws-cdk-lib helper Lambdas', () => {
  test('the default security group handler logs to a group with the profile\'s retention', () => {
    const s = stack();
    new Network(s, 'Net', { profile: Profile.COST_CONSCIOUS_PRODUCTION });
    const template = Template.fromStack(s);
    const groups = template.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 } });
    const helperGroup = Object.keys(groups).find((id) => id.startsWith('CustomVpcRestrictDefaultSG'));
    expect(helperGroup).toBeDefined();
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: helperGroup } } });
  });
});
