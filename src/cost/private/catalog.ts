import { ecsService } from './compute';
import { Pricer, unpriced, usage } from './context';
import { cacheNodes, dynamoTable, rdsCluster, rdsInstance, rdsProxy, serverlessCache } from './data';
import { eksCluster, kubernetesManifest } from './kubernetes';
import {
  alarm, cloudMapInstance, compositeAlarm, dashboard, dnsNamespace, ecsCluster, healthCheck, hostedZone, kmsKey,
  lambdaProvisioned, pipeline, secret, ssmParameter, webAcl,
} from './management';
import {
  autoScalingGroup, classicLoadBalancer, ec2Instance, elasticIp, globalAccelerator, httpApiVpcLink, loadBalancer,
  natGateway, vpcEndpoint,
} from './network';
import { accessAnalyzer, configRecorder, guardDutyDetector, securityHub } from './security';

/** Resource types with a pricer of their own. */
export const PRICERS: { [type: string]: Pricer } = {
  'AWS::EC2::NatGateway': natGateway,
  'AWS::EC2::EIP': elasticIp,
  'AWS::EC2::Instance': ec2Instance,
  'AWS::AutoScaling::AutoScalingGroup': autoScalingGroup,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': loadBalancer,
  'AWS::ElasticLoadBalancing::LoadBalancer': classicLoadBalancer,
  'AWS::EC2::VPCEndpoint': vpcEndpoint,
  'AWS::GlobalAccelerator::Accelerator': globalAccelerator,
  'AWS::ApiGatewayV2::VpcLink': httpApiVpcLink,
  'AWS::ECS::Service': ecsService,
  'AWS::ECS::Cluster': ecsCluster,
  'AWS::RDS::DBInstance': rdsInstance,
  'AWS::RDS::DBCluster': rdsCluster,
  'AWS::RDS::DBProxy': rdsProxy,
  'AWS::ElastiCache::CacheCluster': cacheNodes,
  'AWS::ElastiCache::ReplicationGroup': cacheNodes,
  'AWS::ElastiCache::ServerlessCache': serverlessCache,
  'AWS::DynamoDB::Table': dynamoTable,
  'AWS::DynamoDB::GlobalTable': dynamoTable,
  'AWS::KMS::Key': kmsKey,
  'AWS::KMS::ReplicaKey': kmsKey,
  'AWS::SecretsManager::Secret': secret,
  'AWS::CloudWatch::Alarm': alarm,
  'AWS::CloudWatch::CompositeAlarm': compositeAlarm,
  'AWS::CloudWatch::Dashboard': dashboard,
  'AWS::Route53::HostedZone': hostedZone,
  'AWS::Route53::HealthCheck': healthCheck,
  'AWS::WAFv2::WebACL': webAcl,
  'AWS::CodePipeline::Pipeline': pipeline,
  'AWS::ServiceDiscovery::PrivateDnsNamespace': dnsNamespace,
  'AWS::ServiceDiscovery::PublicDnsNamespace': dnsNamespace,
  'AWS::ServiceDiscovery::Instance': cloudMapInstance,
  'AWS::SSM::Parameter': ssmParameter,
  'AWS::Lambda::Version': lambdaProvisioned,
  'AWS::Lambda::Alias': lambdaProvisioned,
  'AWS::GuardDuty::Detector': guardDutyDetector,
  'AWS::Config::ConfigurationRecorder': configRecorder,
  'AWS::SecurityHub::Hub': securityHub,
  'AWS::AccessAnalyzer::Analyzer': accessAnalyzer,
  'AWS::EKS::Cluster': eksCluster,
  'Custom::AWSCDK-EKS-KubernetesResource': kubernetesManifest,
};

/** Billed only by use: listed with what they bill for, 0 fixed. */
const USAGE: { [type: string]: string } = {
  'AWS::S3::Bucket': 'S3 bucket: GB stored and requests',
  'AWS::CloudFront::Distribution': 'CloudFront distribution: GB out and requests beyond the always-free tier (1 TB, 10 M requests a month)',
  'AWS::ApiGateway::RestApi': 'API Gateway REST API: requests',
  'AWS::ApiGatewayV2::Api': 'API Gateway HTTP/WebSocket API: requests',
  'AWS::Lambda::Function': 'Lambda function: requests and GB-seconds',
  'AWS::CodeBuild::Project': 'CodeBuild project: build minutes',
  'AWS::SQS::Queue': 'SQS queue: requests',
  'AWS::SNS::Topic': 'SNS topic: requests and deliveries',
  'AWS::Logs::LogGroup': 'CloudWatch log group: GB ingested and stored',
  'AWS::EC2::FlowLog': 'VPC flow log: GB delivered to its destination',
  'AWS::ECR::Repository': 'ECR repository: GB stored',
  'AWS::StepFunctions::StateMachine': 'Step Functions state machine: state transitions',
  'AWS::Events::Rule': 'EventBridge rule: custom events (AWS service events are free)',
  'AWS::Scheduler::Schedule': 'EventBridge Scheduler schedule: invocations',
  'AWS::EFS::FileSystem': 'EFS file system: GB stored',
  'AWS::KinesisFirehose::DeliveryStream': 'Firehose stream: GB ingested',
  'AWS::XRay::Group': 'X-Ray group: traces recorded and scanned',
  'AWS::XRay::SamplingRule': 'X-Ray sampling rule: traces recorded',
  'AWS::Backup::BackupPlan': 'AWS Backup plan: GB of backups stored',
  'AWS::Backup::BackupVault': 'AWS Backup vault: GB of backups stored',
  'AWS::CloudTrail::Trail': 'CloudTrail trail: the first management-event copy is free; data events and extra copies bill per event',
  'AWS::Config::ConfigRule': 'AWS Config rule: evaluations',
  'AWS::Athena::WorkGroup': 'Athena workgroup: TB scanned',
  'AWS::CloudFront::RealtimeLogConfig': 'CloudFront real-time logs: log lines',
  'AWS::Cognito::UserPool': 'Cognito user pool: monthly active users beyond the free tier',
  'AWS::AppSync::GraphQLApi': 'AppSync API: requests',
  'AWS::SES::ConfigurationSet': 'SES configuration set: emails sent',
  'AWS::RDS::GlobalCluster': 'Aurora global database: replicated write I/O per million requests (each region\'s storage is its cluster\'s)',
};

/** Bill by the hour or month even when idle, but have no figure in the price list. */
const UNPRICED: { [type: string]: string } = {
  'AWS::AppRunner::Service': 'App Runner service: provisioned memory bills while idle',
  'AWS::OpenSearchService::Domain': 'OpenSearch domain: instances by the hour',
  'AWS::OpenSearchServerless::Collection': 'OpenSearch Serverless collection: minimum OCUs by the hour',
  'AWS::DocDB::DBInstance': 'DocumentDB instance: by the hour',
  'AWS::Neptune::DBInstance': 'Neptune instance: by the hour',
  'AWS::MemoryDB::Cluster': 'MemoryDB cluster: nodes by the hour',
  'AWS::Redshift::Cluster': 'Redshift cluster: nodes by the hour',
  'AWS::MSK::Cluster': 'MSK cluster: brokers by the hour',
  'AWS::Kinesis::Stream': 'Kinesis data stream: shards or stream-hours',
  'AWS::EC2::TransitGateway': 'Transit gateway: attachments by the hour',
  'AWS::EC2::TransitGatewayAttachment': 'Transit gateway attachment: by the hour',
  'AWS::EC2::TransitGatewayVpcAttachment': 'Transit gateway attachment: by the hour',
  'AWS::EC2::ClientVpnEndpoint': 'Client VPN endpoint: associations by the hour',
  'AWS::EC2::VPNConnection': 'Site-to-site VPN connection: by the hour',
  'AWS::EC2::Volume': 'EBS volume: GB-month',
  'AWS::Route53Resolver::ResolverEndpoint': 'Route 53 Resolver endpoint: ENIs by the hour',
  'AWS::Route53Resolver::FirewallRuleGroupAssociation': 'Route 53 Resolver DNS Firewall: domains and queries',
  'AWS::NetworkFirewall::Firewall': 'Network Firewall: endpoints by the hour',
  'AWS::ACMPCA::CertificateAuthority': 'Private CA: monthly fee',
  'AWS::DirectoryService::MicrosoftAD': 'Managed Microsoft AD: by the hour',
  'AWS::DirectoryService::SimpleAD': 'Simple AD: by the hour',
  'AWS::Synthetics::Canary': 'CloudWatch Synthetics canary: runs on its schedule even with no traffic',
  'AWS::SageMaker::Endpoint': 'SageMaker endpoint: instances by the hour',
  'AWS::FSx::FileSystem': 'FSx file system: capacity by the month',
  'AWS::Shield::Protection': 'Shield Advanced: monthly subscription',
  'AWS::CloudWatch::AnomalyDetector': 'CloudWatch anomaly detector: billed as the alarms that use it',
};

/** Free, or billed only through another resource that is priced. */
const FREE_PREFIXES = [
  'AWS::IAM::', 'AWS::CDK::', 'AWS::CloudFormation::', 'Custom::', 'AWS::ApplicationAutoScaling::', 'AWS::SSO::',
  'AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::RouteTable', 'AWS::EC2::Route', 'AWS::EC2::InternetGateway',
  'AWS::EC2::EgressOnlyInternetGateway', 'AWS::EC2::VPCGatewayAttachment', 'AWS::EC2::SecurityGroup',
  'AWS::EC2::NetworkAcl', 'AWS::EC2::SubnetNetworkAclAssociation', 'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::LaunchTemplate', 'AWS::EC2::KeyPair', 'AWS::EC2::PrefixList', 'AWS::EC2::DHCPOptions',
  'AWS::EC2::NetworkInterface', 'AWS::EC2::PlacementGroup', 'AWS::AutoScaling::', 'AWS::ECS::TaskDefinition',
  'AWS::ECS::CapacityProvider', 'AWS::ECS::ClusterCapacityProviderAssociations', 'AWS::ECS::PrimaryTaskSet',
  'AWS::ElasticLoadBalancingV2::', 'AWS::Lambda::Permission', 'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::LayerVersion', 'AWS::Lambda::EventInvokeConfig', 'AWS::Lambda::Url', 'AWS::Lambda::Version',
  'AWS::Lambda::Alias', 'AWS::S3::BucketPolicy', 'AWS::SQS::QueuePolicy', 'AWS::SNS::Subscription',
  'AWS::SNS::TopicPolicy', 'AWS::KMS::Alias', 'AWS::SecretsManager::', 'AWS::RDS::', 'AWS::ElastiCache::',
  'AWS::Route53::RecordSet', 'AWS::Route53::RecordSetGroup', 'AWS::Route53::KeySigningKey', 'AWS::Route53::DNSSEC',
  'AWS::CertificateManager::Certificate', 'AWS::CloudFront::', 'AWS::ApiGateway::', 'AWS::ApiGatewayV2::',
  'AWS::Logs::', 'AWS::WAFv2::', 'AWS::ServiceDiscovery::', 'AWS::SSM::', 'AWS::Events::', 'AWS::ECR::',
  'AWS::CodeStarConnections::', 'AWS::CodeStarNotifications::', 'AWS::CodeBuild::', 'AWS::Budgets::',
  'AWS::Backup::', 'AWS::CloudWatch::', 'AWS::ResourceGroups::', 'AWS::Scheduler::ScheduleGroup',
  'AWS::ApplicationSignals::', 'AWS::GlobalAccelerator::Listener', 'AWS::GlobalAccelerator::EndpointGroup',
  'AWS::StepFunctions::Activity', 'AWS::EFS::MountTarget', 'AWS::EFS::AccessPoint',
  'AWS::Organizations::', 'AWS::Config::DeliveryChannel', 'AWS::SecurityHub::DelegatedAdmin',
  'AWS::EKS::AccessEntry', 'AWS::EKS::PodIdentityAssociation', 'AWS::EKS::Addon',
];

/** How a resource type is treated: its own pricer, usage, a known-but-unpriced idle charge, free, or unknown. */
export function pricerFor(type: string): Pricer | 'free' | undefined {
  const own = PRICERS[type];
  if (own) return own;
  const use = USAGE[type];
  if (use) {
    const [what, how] = splitOnce(use);
    return () => [usage(what, `billed by use: ${how}`)];
  }
  const idle = UNPRICED[type];
  if (idle) {
    const [what, how] = splitOnce(idle);
    return () => [unpriced(what, `${how}: not in the price list`)];
  }
  if (FREE_PREFIXES.some((p) => type === p || type.startsWith(p))) return 'free';
  return undefined;
}

function splitOnce(text: string): [string, string] {
  const at = text.indexOf(': ');
  return at < 0 ? [text, 'use'] : [text.slice(0, at), text.slice(at + 2)];
}
