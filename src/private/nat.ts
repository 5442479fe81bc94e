import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { acknowledge, PINNED_AZ } from './nag';
import { Egress, EgressKind } from '../network/egress';

/**
 * The NAT provider for an egress choice, or undefined when there is no NAT. A NAT instance runs
 * Amazon Linux 2023 for its instance type's architecture (Graviton by default), admits nothing
 * from the internet and, once `hardenNatInstances` ran, only the VPC's own traffic.
 */
export function natProviderFor(egress: Egress): ec2.NatProvider | undefined {
  switch (egress.kind) {
    case EgressKind.NONE:
      return undefined;
    case EgressKind.NAT_INSTANCE: {
      const instanceType = egress.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.NANO);
      const cpuType = instanceType.architecture === ec2.InstanceArchitecture.ARM_64 ? ec2.AmazonLinuxCpuType.ARM_64 : ec2.AmazonLinuxCpuType.X86_64;
      return ec2.NatProvider.instanceV2({
        instanceType,
        machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType }),
        // nothing from the internet; the VPC is admitted once its CIDR exists (see below)
        defaultAllowedTraffic: ec2.NatTrafficDirection.OUTBOUND_ONLY,
        // public subnets do not map public IPs on launch; the NAT instance needs one
        associatePublicIpAddress: true,
      });
    }
    default:
      return ec2.NatProvider.gateway();
  }
}

/**
 * Admits the VPC's traffic to the NAT instances, encrypts their root volumes, requires IMDSv2 and
 * acknowledges the trade-offs a NAT instance makes by nature.
 */
export function hardenNatInstances(provider: ec2.NatProvider | undefined, vpcCidr: string): void {
  if (!(provider instanceof ec2.NatInstanceProviderV2)) return;
  provider.securityGroup.addIngressRule(ec2.Peer.ipv4(vpcCidr), ec2.Port.allTraffic(), 'Traffic from the VPC to be translated');
  acknowledge(provider.securityGroup, {
    ids: ['HIPAA.Security-EC2RestrictedCommonPorts', 'NIST.800.53.R5-EC2RestrictedCommonPorts'],
    reason: 'A NAT forwards whatever private workloads send, so it admits every port, but only from the VPC CIDR; nothing from the internet.',
  });
  for (const instance of provider.gatewayInstances) {
    const cfn = instance.instance;
    hardenInstance(instance);
    acknowledge(cfn, PINNED_AZ, {
      ids: ['HIPAA.Security-EC2InstanceNoPublicIp', 'NIST.800.53.R5-EC2InstanceNoPublicIp'],
      reason: 'A NAT instance translates private traffic to its own public IP; its security group admits only the VPC CIDR.',
    }, {
      ids: ['HIPAA.Security-EC2InstancesInVPC', 'NIST.800.53.R5-EC2InstancesInVPC'],
      reason: 'The NAT instance is in a public subnet of this VPC through its network interface (the rule reads only the instance SubnetId).',
    }, {
      ids: ['AwsSolutions-EC28', 'HIPAA.Security-EC2InstanceDetailedMonitoringEnabled', 'NIST.800.53.R5-EC2InstanceDetailedMonitoringEnabled'],
      reason: 'Basic 5-minute metrics suffice for a NAT instance; detailed monitoring would cost more than the instance itself.',
    }, {
      ids: ['AwsSolutions-EC29'],
      reason: 'The NAT instance holds no state and is replaced by CloudFormation on change; termination protection would block that.',
    });
  }
}

/**
 * Encrypts an instance's root volume and requires IMDSv2. aws-cdk-lib's `requireImdsv2` names its
 * launch template after the construct id, which collides between stacks in one account and
 * region: an unnamed launch template of our own instead.
 */
export function hardenInstance(instance: ec2.Instance): void {
  const cfn = instance.instance;
  cfn.blockDeviceMappings = [{ deviceName: '/dev/xvda', ebs: { encrypted: true, volumeType: 'gp3', deleteOnTermination: true } }];
  const template = new ec2.CfnLaunchTemplate(instance, 'MetadataOptions', {
    launchTemplateData: { metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 } },
  });
  cfn.launchTemplate = { launchTemplateId: template.ref, version: template.attrLatestVersionNumber };
}
