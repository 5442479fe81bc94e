import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BreakGlassHost, Egress, IdleCostEstimate, InterfaceEndpoint, Network, PostgresDatabase } from '../../src';
import { expectCompliant } from '../helpers/compliance';

function stack(): Stack {
  return new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
}

describe('BreakGlassHost', () => {
  test('a tiny inbound-closed host in a private subnet, admitted to the database, reachable through Session Manager', () => {
    // GIVEN
    const s = stack();
    const network = new Network(s, 'Net', { egress: Egress.natInstance() });
    // WHEN
    const db = new PostgresDatabase(s, 'Db', { network, breakGlassHost: true });
    // THEN
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::EC2::Instance', 1); // the NAT instance only: the host idles at zero
    t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '0',
      MaxSize: '1',
      DesiredCapacity: Match.absent(),
      VPCZoneIdentifier: [{ Ref: Match.stringLikeRegexp('NetVpcPrivateSubnet') }, { Ref: Match.stringLikeRegexp('NetVpcPrivateSubnet') }],
      Tags: Match.arrayWith([{ Key: 'cdk-lean-stack:role', PropagateAtLaunch: true, Value: 'break-glass-host' }]),
    });
    t.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        InstanceType: 't4g.nano',
        MetadataOptions: { HttpPutResponseHopLimit: 1, HttpTokens: 'required' },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: Match.objectLike({ Encrypted: true, VolumeType: 'gp3' }) }],
      }),
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Break-glass host: no inbound; HTTPS out for Session Manager',
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443 })],
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 5432, Description: 'Break-glass host' });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: Match.arrayWith(['ssm:UpdateInstanceInformation', 'ssmmessages:OpenDataChannel']) })] },
    });
    expect(db.breakGlassHost).toBeInstanceOf(BreakGlassHost);
    expectCompliant(s);
  });

  test('the idle cost estimate prices the host at zero instances', () => {
    // GIVEN
    const s = stack();
    const network = new Network(s, 'Net', { egress: Egress.natInstance() });
    // WHEN
    new PostgresDatabase(s, 'Db', { network, breakGlassHost: true });
    // THEN
    const host = IdleCostEstimate.ofStack(s).items.filter((i) => i.constructPath.startsWith('S/Db/BreakGlassHost/'));
    expect(host).toEqual([expect.objectContaining({ resourceType: 'AWS::AutoScaling::AutoScalingGroup', monthlyUsd: 0, priced: true })]);
    expect(host[0].description).toContain('t4g.nano');
  });

  test('with SSM interface endpoints instead of NAT, the host sits in the isolated subnets', () => {
    const s = stack();
    const network = new Network(s, 'Net', { interfaceEndpoints: [InterfaceEndpoint.SSM, InterfaceEndpoint.SSM_MESSAGES] });
    const db = new PostgresDatabase(s, 'Db', { network });
    new BreakGlassHost(s, 'Host', { network, database: db });
    Template.fromStack(s).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { VPCZoneIdentifier: Match.arrayWith([{ Ref: Match.stringLikeRegexp('NetVpcDataSubnet') }]) });
    expectCompliant(s);
  });

  test('refuses a network with neither NAT nor SSM endpoints', () => {
    const s = stack();
    const network = new Network(s, 'Net', { interfaceEndpoints: [InterfaceEndpoint.SSM] });
    expect(() => new PostgresDatabase(s, 'Db', { network, breakGlassHost: true })).toThrow(
      "`breakGlassHost` needs a way to reach ssm, ssmmessages from inside the VPC: a network egress with NAT (e.g. Egress.natInstance()) or the interface endpoints 'ssm', 'ssmmessages'; got: egress 'none' and interface endpoints [ssm] (missing ssmmessages)");
    expect(() => new BreakGlassHost(s, 'Host', { network })).toThrow('`network` needs a way to reach ssm, ssmmessages');
  });
});
