import { AutoScalingClient, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeInstanceInformationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { fakeStacks, fakeTerminal, role, resetBeforeEach } from './fakes';
import { run } from '../../src/cli/main';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:DbSecret-abc';
const autoscaling = mockClient(AutoScalingClient);
const ssm = mockClient(SSMClient);
const secrets = mockClient(SecretsManagerClient);

function stackWithHost() {
  fakeStacks({
    LeanProd: [
      { logicalId: 'DbBreakGlassHostGroupASG', type: 'AWS::AutoScaling::AutoScalingGroup', physicalId: 'LeanProd-BreakGlass-1', tags: role('break-glass-host') },
      { logicalId: 'DbSecret', type: 'AWS::SecretsManager::Secret', physicalId: SECRET, tags: role('database-secret') },
    ],
  });
  secrets.on(GetSecretValueCommand).resolves({
    SecretString: JSON.stringify({ username: 'postgres', password: 's3cr3t-never-printed', host: 'db.abc.eu-west-1.rds.amazonaws.com', port: 5432, dbname: 'app' }),
  });
}

resetBeforeEach(autoscaling, ssm, secrets);

describe('cdk-lean-stack tunnel', () => {
  test('starts the host, waits for Session Manager, forwards the port with TLS required, prints the user but never the password, stops the host', async () => {
    // GIVEN a host that is pending at the first poll, in service with its agent online at the second
    stackWithHost();
    autoscaling.on(DescribeAutoScalingGroupsCommand)
      .resolvesOnce({ AutoScalingGroups: [{ Instances: [{ InstanceId: 'i-1', LifecycleState: 'Pending' }] } as never] })
      .resolves({ AutoScalingGroups: [{ Instances: [{ InstanceId: 'i-1', LifecycleState: 'InService' }] } as never] });
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-1', PingStatus: 'Online' }] });
    const t = fakeTerminal();
    // WHEN
    const code = await run(['tunnel', '--stack', 'LeanProd', '--region', 'eu-west-1', '--profile', 'ops', '--local-port', '15432'], t.ctx);
    // THEN
    expect(code).toBe(0);
    expect(autoscaling.commandCalls(SetDesiredCapacityCommand).map((c) => c.args[0].input.DesiredCapacity)).toEqual([1, 0]);
    expect(autoscaling.commandCalls(SetDesiredCapacityCommand)[0].args[0].input.AutoScalingGroupName).toBe('LeanProd-BreakGlass-1');
    expect(t.runs).toEqual([{
      command: 'aws',
      args: ['ssm', 'start-session', '--target', 'i-1', '--document-name', 'AWS-StartPortForwardingSessionToRemoteHost',
        '--parameters', '{"host":["db.abc.eu-west-1.rds.amazonaws.com"],"portNumber":["5432"],"localPortNumber":["15432"]}',
        '--region', 'eu-west-1', '--profile', 'ops'],
    }]);
    const text = t.out.join('\n');
    expect(text).toContain('  postgresql://postgres@localhost:15432/app?sslmode=require');
    expect(text).toContain('The database requires TLS (rds.force_ssl=1); keep sslmode=require.');
    expect(text).not.toContain('s3cr3t');
    expect(t.out[t.out.length - 1]).toBe('Stopping the break-glass host (desired capacity 0 for LeanProd-BreakGlass-1).');
  });

  test('a host that does not come online in time: stops it again and says what to check', async () => {
    // GIVEN an instance whose agent never reaches Systems Manager
    stackWithHost();
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{ Instances: [{ InstanceId: 'i-1', LifecycleState: 'InService' }] } as never] });
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
    const t = fakeTerminal();
    // WHEN
    const code = await run(['tunnel', '--stack', 'LeanProd', '--wait', '30'], t.ctx);
    // THEN
    expect(code).toBe(1);
    expect(t.err).toEqual(['Error: The break-glass host did not come online within 30 s (instance i-1 in service, Session Manager agent not online yet). '
      + 'Check that its network reaches Systems Manager (NAT, or the ssm and ssmmessages interface endpoints) and the Auto Scaling group\'s activity history; raise --wait if the region is slow to launch.']);
    expect(autoscaling.commandCalls(SetDesiredCapacityCommand).map((c) => c.args[0].input.DesiredCapacity)).toEqual([1, 0]);
    expect(t.runs).toEqual([]);
  });

  test('without the AWS CLI: says what to install, and still stops the host', async () => {
    stackWithHost();
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{ Instances: [{ InstanceId: 'i-1', LifecycleState: 'InService' }] } as never] });
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ PingStatus: 'Online' }] });
    const t = fakeTerminal();
    t.runResult = new Error('spawn aws ENOENT');
    expect(await run(['tunnel', '--stack', 'LeanProd'], t.ctx)).toBe(1);
    expect(t.err[0]).toMatch(/^Error: Could not run the AWS CLI \(spawn aws ENOENT\): the port forward needs `aws` \(v2\) and the Session Manager plugin/);
    expect(autoscaling.commandCalls(SetDesiredCapacityCommand).map((c) => c.args[0].input.DesiredCapacity)).toEqual([1, 0]);
  });

  test('a stack without a break-glass host: says how to add one, starts nothing', async () => {
    fakeStacks({ LeanDev: [{ logicalId: 'DbSecret', type: 'AWS::SecretsManager::Secret', physicalId: SECRET, tags: role('database-secret') }] });
    const t = fakeTerminal();
    expect(await run(['tunnel', '--stack', 'LeanDev'], t.ctx)).toBe(1);
    expect(t.err).toEqual(['Error: No break-glass host in stack(s) LeanDev: add `breakGlassHost: true` to your PostgresDatabase (or a BreakGlassHost) and deploy.']);
    expect(autoscaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
  });
});
