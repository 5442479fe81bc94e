import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { INetwork, IPostgresDatabase } from '../core/contracts';
import { Profile } from '../core/profile';
import { apiReachableSubnetsOf, checkReachesAws, dataSubnetsOf } from './private/checks';
import { CLI_ROLE, tagForCli } from '../private/cli-tags';
import { acknowledge } from '../private/nag';
import { resolveProfile } from '../private/profile';
import { invalid } from '../private/validate';

/**
 * Props for `BreakGlassHost`.
 */
export interface BreakGlassHostProps {
  /**
   * The network. It needs NAT, or interface endpoints for `ssm` and `ssmmessages`, so that the
   * Session Manager agent reaches Systems Manager.
   */
  readonly network: INetwork;

  /**
   * A database the host may reach on its port.
   *
   * @default - none; admit the host yourself with `database.allowFrom(host)`
   */
  readonly database?: IPostgresDatabase;

  /**
   * The instance type (Graviton types need no change of image).
   *
   * @default t4g.nano
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * The deployment profile.
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
}

/**
 * Emergency access to a private database without a public bastion: an Auto Scaling group of at
 * most one tiny Amazon Linux 2023 host in a private (or isolated) subnet whose security group
 * admits nothing, reachable only through SSM Session Manager port forwarding. It idles at zero
 * instances (nothing to pay, nothing to patch); `npx cdk-lean-stack tunnel` starts the host, opens
 * the port forward and stops the host again afterwards. By hand: set the group's desired capacity
 * to 1, then
 * `aws ssm start-session --target <instanceId> --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters host=<endpoint>,portNumber=5432,localPortNumber=5432`,
 * and set it back to 0. About 0.004 USD an hour while running (t4g.nano); with an isolated network
 * it also needs the `ssm` and `ssmmessages` interface endpoints (billed per AZ).
 *
 * @example
 * import { BreakGlassHost, Egress, Network, PostgresDatabase } from 'cdk-lean-stack';
 *
 * const network = new Network(this, 'Network', { egress: Egress.natInstance() });
 * const database = new PostgresDatabase(this, 'Database', { network });
 * new BreakGlassHost(this, 'BreakGlass', { network, database });
 */
export class BreakGlassHost extends Construct implements ec2.IConnectable {
  /** The Auto Scaling group: at most one instance, zero at rest. Its desired capacity is left out of the template, so a deployment never stops a host in use. */
  public readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  /** The launch template: encrypted gp3 root volume, IMDSv2 only. */
  public readonly launchTemplate: ec2.LaunchTemplate;
  /** The instance's connections: no ingress. Egress to HTTPS and to the database. */
  public readonly connections: ec2.Connections;
  /** The instance's role (Session Manager's managed policy only). */
  public readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: BreakGlassHostProps) {
    super(scope, id);
    resolveProfile(this, props.profile);
    checkReachesAws(this, 'network', props.network, ['ssm', 'ssmmessages'], 'Session Manager\'s agent must reach Systems Manager.');
    const vpc = props.network.vpc;
    const databaseVpc = props.database?.instance?.vpc ?? props.database?.cluster?.vpc;
    // The same VPC has the same id, or the same id token when it is created in this app.
    if (databaseVpc && databaseVpc.vpcId !== vpc.vpcId) {
      // A host in another VPC never reaches the database's private address.
      invalid(this, 'database', props.database!.node.path, `a database in the host's VPC (\`network\`: ${vpc.node.path}), but it is in ${databaseVpc.node.path}`);
    }
    const subnets = apiReachableSubnetsOf(props.network, dataSubnetsOf(this, props.network));

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'Break-glass host: no inbound; HTTPS out for Session Manager',
      allowAllOutbound: false,
    });
    // Session Manager over NAT reaches the public endpoints; over interface endpoints, the VPC.
    securityGroup.addEgressRule(props.network.egress.hasNat ? ec2.Peer.anyIpv4() : ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS to Systems Manager');

    // Only what a Session Manager target needs (a subset of AmazonSSMManagedInstanceCore: no
    // inventory, patching, parameters or documents), as a managed policy of our own.
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    const policy = new iam.ManagedPolicy(this, 'SessionManagerPolicy', {
      roles: [role],
      statements: [new iam.PolicyStatement({
        actions: [
          'ssm:UpdateInstanceInformation',
          'ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel',
          'ec2messages:AcknowledgeMessage', 'ec2messages:DeleteMessage', 'ec2messages:FailMessage', 'ec2messages:GetEndpoint', 'ec2messages:GetMessages', 'ec2messages:SendReply',
        ],
        resources: ['*'],
      })],
    });
    acknowledge(policy, {
      ids: ['AwsSolutions-IAM5[Resource::*]'],
      reason: 'These Session Manager agent actions support no resource-level permissions; AWS documents them with Resource "*".',
    });
    this.role = role;

    const instanceType = props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.NANO);
    const cpuType = instanceType.architecture === ec2.InstanceArchitecture.ARM_64 ? ec2.AmazonLinuxCpuType.ARM_64 : ec2.AmazonLinuxCpuType.X86_64;
    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      instanceType,
      machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType }),
      securityGroup,
      role,
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true }) }],
    });
    // No desiredCapacity: CloudFormation starts the group at its minimum (0) and later deployments
    // leave a running tunnel alone.
    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'Group', {
      vpc,
      vpcSubnets: subnets,
      launchTemplate: this.launchTemplate,
      minCapacity: 0,
      maxCapacity: 1,
    });
    // The CLI finds the host by this tag, never by a name typed by hand.
    tagForCli(this.autoScalingGroup, CLI_ROLE.breakGlassHost);
    acknowledge(this.autoScalingGroup, {
      ids: ['AwsSolutions-AS3'],
      reason: 'The break-glass host scales only when an operator opens a tunnel; CloudTrail records who did, so scaling notifications would only echo it.',
    }, {
      ids: ['AwsSolutions-EC26'],
      reason: 'The launch template encrypts the root volume (the only volume); the rule reads launch configurations, not launch templates.',
    });
    this.connections = new ec2.Connections({ securityGroups: [securityGroup] });
    if (props.database) props.database.allowFrom(this, 'Break-glass host');
  }
}
