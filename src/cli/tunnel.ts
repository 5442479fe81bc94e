import { AutoScalingClient, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeInstanceInformationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AwsOptions, CliContext, CliError, clientConfig } from './context';
import { deployedResources, one, withRole } from './locate';
import { CLI_ROLE } from '../private/cli-tags';

export interface TunnelOptions extends AwsOptions {
  /** The local port to forward. */
  readonly localPort: number;
  /** How long to wait for the host to come online, in seconds. */
  readonly waitSeconds: number;
}

/** What the tunnel needs from the database secret: never the password. */
interface Target { readonly host: string; readonly port: number; readonly dbname: string; readonly username: string }

/**
 * `tunnel`: starts the break-glass host (its Auto Scaling group idles at zero), waits a bounded
 * time for Session Manager to see it, forwards a local port to the database through it with the
 * AWS CLI, and stops the host again when the session ends, whatever the outcome.
 */
export async function tunnelCommand(ctx: CliContext, options: TunnelOptions): Promise<number> {
  const resources = await deployedResources(ctx, options);
  const host = one(withRole(resources, 'AWS::AutoScaling::AutoScalingGroup', CLI_ROLE.breakGlassHost), resources, 'break-glass host',
    'add `breakGlassHost: true` to your PostgresDatabase (or a BreakGlassHost) and deploy.');
  const secret = one(withRole(resources.filter((r) => r.stackName === host.stackName), 'AWS::SecretsManager::Secret', CLI_ROLE.databaseSecret),
    resources, 'database secret', 'the break-glass host reaches a PostgresDatabase of the same stack; deploy one there.');
  const config = clientConfig(options, host.region);
  const target = await readTarget(new SecretsManagerClient(config), secret.physicalId);
  const autoscaling = new AutoScalingClient(config);
  const groupName = host.physicalId;

  ctx.out(`Starting the break-glass host (Auto Scaling group ${groupName})...`);
  await autoscaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: groupName, DesiredCapacity: 1, HonorCooldown: false }));
  try {
    const instanceId = await waitForHost(ctx, autoscaling, new SSMClient(config), groupName, options.waitSeconds);
    ctx.out(`Host ${instanceId} is online. Forwarding localhost:${options.localPort} to ${target.host}:${target.port}.`);
    ctx.out('');
    ctx.out(`  postgresql://${encodeURIComponent(target.username)}@localhost:${options.localPort}/${target.dbname}?sslmode=require`);
    ctx.out('');
    ctx.out(`The database requires TLS (rds.force_ssl=1); keep sslmode=require. The password is in the secret: aws secretsmanager get-secret-value --secret-id ${secret.physicalId} --query SecretString --output text`);
    ctx.out('Press Ctrl-C to close the tunnel; the host stops afterwards.');
    const args = ['ssm', 'start-session', '--target', instanceId,
      '--document-name', 'AWS-StartPortForwardingSessionToRemoteHost',
      '--parameters', JSON.stringify({ host: [target.host], portNumber: [String(target.port)], localPortNumber: [String(options.localPort)] })];
    if (host.region) args.push('--region', host.region);
    if (options.profile) args.push('--profile', options.profile);
    let code: number;
    try {
      code = await ctx.run('aws', args);
    } catch (e) {
      throw new CliError(`Could not run the AWS CLI (${e instanceof Error ? e.message : String(e)}): the port forward needs \`aws\` (v2) and the Session Manager plugin on your PATH; see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html`);
    }
    return code === 0 || code === 130 ? 0 : code;
  } finally {
    await autoscaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: groupName, DesiredCapacity: 0, HonorCooldown: false }));
    ctx.out(`Stopping the break-glass host (desired capacity 0 for ${groupName}).`);
  }
}

async function readTarget(client: SecretsManagerClient, secretId: string): Promise<Target> {
  const value = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const parsed = JSON.parse(value.SecretString ?? '{}') as { host?: string; port?: number | string; dbname?: string; username?: string };
  if (!parsed.host || !parsed.username) {
    throw new CliError(`The database secret ${secretId} has no host or username yet: deploy the stack to the end (the database attaches them to the secret), then try again.`);
  }
  // Only what the connection string needs leaves this function: never the password.
  return { host: parsed.host, port: Number(parsed.port ?? 5432), dbname: parsed.dbname ?? 'postgres', username: parsed.username };
}

async function waitForHost(ctx: CliContext, autoscaling: AutoScalingClient, ssm: SSMClient, groupName: string, waitSeconds: number): Promise<string> {
  const deadline = ctx.now() + waitSeconds * 1000;
  let lastState = 'no instance yet';
  while (ctx.now() < deadline) {
    const groups = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }));
    const instance = groups.AutoScalingGroups?.[0]?.Instances?.find((i) => i.LifecycleState === 'InService');
    if (instance?.InstanceId) {
      const info = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [instance.InstanceId] }] }));
      if (info.InstanceInformationList?.[0]?.PingStatus === 'Online') return instance.InstanceId;
      lastState = `instance ${instance.InstanceId} in service, Session Manager agent not online yet`;
    } else {
      lastState = groups.AutoScalingGroups?.[0]?.Instances?.[0]?.LifecycleState ?? 'no instance yet';
    }
    ctx.out(`  waiting: ${lastState}`);
    await ctx.sleep(5000);
  }
  throw new CliError(`The break-glass host did not come online within ${waitSeconds} s (${lastState}). `
    + 'Check that its network reaches Systems Manager (NAT, or the ssm and ssmmessages interface endpoints) and the Auto Scaling group\'s activity history; raise --wait if the region is slow to launch.');
}
