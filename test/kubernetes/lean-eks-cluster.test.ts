import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { eksStack, manifests, ofKind } from './fixtures';
import { LeanEksCluster, Profile } from '../../src';
import { expectCompliant, nagFindings } from '../helpers/compliance';

// One stack per profile, shared by the file's assertions (EKS synth is slow).
// GIVEN a production cluster with Container Insights and a development cluster
const prod = eksStack(Profile.HIGHLY_AVAILABLE_PRODUCTION, 'Prod');
// WHEN
const prodCluster = new LeanEksCluster(prod.stack, 'Cluster', { network: prod.network, kubectlLayer: prod.kubectlLayer, profile: Profile.HIGHLY_AVAILABLE_PRODUCTION });
const prodTemplate = Template.fromStack(prod.stack);
const dev = eksStack(Profile.DEVELOPMENT, 'Dev');
const devKey = new kms.Key(dev.stack, 'MyKey', { enableKeyRotation: true });
const devCluster = new LeanEksCluster(dev.stack, 'Cluster', {
  network: dev.network,
  kubectlLayer: dev.kubectlLayer,
  profile: Profile.DEVELOPMENT,
  secretsEncryptionKey: devKey,
  endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24'),
});
const devTemplate = Template.fromStack(dev.stack);

describe('LeanEksCluster', () => {
  test('runs EKS Auto Mode with a private endpoint, KMS-encrypted secrets and control plane logs', () => {
    prodTemplate.hasResourceProperties('AWS::EKS::Cluster', {
      Name: prodCluster.clusterName,
      Version: '1.35',
      ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: false, EndpointPrivateAccess: true }),
      ComputeConfig: Match.objectLike({ Enabled: true, NodePools: ['system'] }),
      EncryptionConfig: [Match.objectLike({ Resources: ['secrets'] })],
      Logging: { ClusterLogging: { EnabledTypes: [{ Type: 'api' }, { Type: 'audit' }, { Type: 'authenticator' }] } },
    });
    prodTemplate.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('keeps control plane logs for the profile\'s retention, in a group created before the cluster', () => {
    prodTemplate.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/eks/${prodCluster.clusterName}/cluster`, RetentionInDays: 365 });
    const clusterId = Object.keys(prodTemplate.findResources('AWS::EKS::Cluster'))[0];
    const logId = prod.stack.getLogicalId(prodCluster.logGroup.node.defaultChild as never);
    expect(prodTemplate.toJSON().Resources[clusterId].DependsOn).toEqual(expect.arrayContaining([logId]));
  });

  test('a small tainted system pool and a Graviton-first app pool, on demand in production', () => {
    const pools = ofKind(manifests(prodTemplate), 'NodePool');
    const [system, app] = pools;
    expect(system.metadata.name).toBe('lean-system');
    expect(system.spec.template.spec.taints).toEqual([{ key: 'CriticalAddonsOnly', effect: 'NoSchedule' }]);
    expect(system.spec.limits).toEqual({ cpu: '4', memory: '16Gi' });
    expect(app.metadata.name).toBe('lean-app');
    const capacity = app.spec.template.spec.requirements.find((r: { key: string }) => r.key === 'karpenter.sh/capacity-type');
    expect(capacity.values).toEqual(['on-demand']);
    expect(app.spec.limits).toEqual({ cpu: '16', memory: '128Gi' });
  });

  test('Spot only in development', () => {
    const app = ofKind(manifests(devTemplate), 'NodePool')[1];
    const capacity = app.spec.template.spec.requirements.find((r: { key: string }) => r.key === 'karpenter.sh/capacity-type');
    expect(capacity.values).toEqual(['spot', 'on-demand']);
    expect(devCluster.spot).toBe(true);
    expect(prodCluster.spot).toBe(false);
  });

  test('Container Insights with Pod Identity in highly available production, none in development', () => {
    prodTemplate.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'amazon-cloudwatch-observability',
      PodIdentityAssociations: [Match.objectLike({ ServiceAccount: 'cloudwatch-agent' })],
    });
    devTemplate.resourcePropertiesCountIs('AWS::EKS::Addon', { AddonName: 'amazon-cloudwatch-observability' }, 0);
  });

  test('bring your own key and a restricted public endpoint', () => {
    devTemplate.hasResourceProperties('AWS::EKS::Cluster', {
      EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [dev.stack.getLogicalId(devKey.node.defaultChild as never), 'Arn'] } }, Resources: ['secrets'] }],
      ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] }),
    });
    devTemplate.resourceCountIs('AWS::KMS::Key', 1);
  });

  test('writes no CloudFormation outputs', () => {
    expect(prodTemplate.toJSON().Outputs).toBeUndefined();
  });

  test('rejects Spot outside development', () => {
    const n = eksStack(Profile.COST_CONSCIOUS_PRODUCTION, 'Bad1');
    expect(() => new LeanEksCluster(n.stack, 'C', { network: n.network, kubectlLayer: n.kubectlLayer, spot: true }))
      .toThrow("`spot` must be false in profile 'cost-conscious-production' (Spot capacity is for development), got: true");
  });

  test('rejects a VPC without private subnets', () => {
    const n = eksStack(Profile.DEVELOPMENT, 'Bad2');
    const vpc = new ec2.Vpc(n.stack, 'PublicOnly', { subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PUBLIC }], natGateways: 0 });
    expect(() => new LeanEksCluster(n.stack, 'C', { vpc, kubectlLayer: n.kubectlLayer, profile: Profile.DEVELOPMENT }))
      .toThrow("`vpc` must be a VPC with private subnets and NAT egress (e.g. `Egress.natInstance()`): nodes pull images and the kubectl handler reaches the private API from there, got: 'no private subnets with egress'");
  });

  test('rejects an admin that is not an IAM role ARN', () => {
    const n = eksStack(Profile.DEVELOPMENT, 'Bad4');
    expect(() => new LeanEksCluster(n.stack, 'C', { network: n.network, kubectlLayer: n.kubectlLayer, profile: Profile.DEVELOPMENT, adminRoleArns: ['arn:aws:iam::123456789012:user/alice'] }))
      .toThrow("`adminRoleArns` must be IAM role ARNs ('arn:aws:iam::<account>:role/<name>'), got: 'arn:aws:iam::123456789012:user/alice'");
  });

  test('rejects a bad maxVcpus', () => {
    const n = eksStack(Profile.DEVELOPMENT, 'Bad3');
    expect(() => new LeanEksCluster(n.stack, 'C', { network: n.network, kubectlLayer: n.kubectlLayer, profile: Profile.DEVELOPMENT, maxVcpus: 1 }))
      .toThrow('`maxVcpus` must be an integer between 2 and 1000, got: 1');
  });

  test('is compliant by default; a public endpoint the user opens stays visible as their finding', () => {
    expectCompliant(prod.stack);
    expect(nagFindings(dev.stack).map((f) => f.rule)).toEqual(['AwsSolutions-EKS1']);
  });
});
