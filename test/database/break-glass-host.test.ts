import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BreakGlassHost, Egress, InterfaceEndpoint, Network, PostgresDatabase } from '../../src';
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
    t.resourceCountIs('AWS::EC2::Instance', 2); // the NAT instance and the host
    t.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.nano',
      SubnetId: { Ref: Match.stringLikeRegexp('NetVpcPrivateSubnet') },
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: Match.objectLike({ Encrypted: true }) }],
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

  test('with SSM interface endpoints instead of NAT, the host sits in the isolated subnets', () => {
    const s = stack();
    const network = new Network(s, 'Net', { interfaceEndpoints: [InterfaceEndpoint.SSM, InterfaceEndpoint.SSM_MESSAGES] });
    const db = new PostgresDatabase(s, 'Db', { network });
    new BreakGlassHost(s, 'Host', { network, database: db });
    Template.fromStack(s).hasResourceProperties('AWS::EC2::Instance', { SubnetId: { Ref: Match.stringLikeRegexp('NetVpcDataSubnet') } });
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
