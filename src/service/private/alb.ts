import { Duration, Stack, Token, Annotations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct, IConstruct } from 'constructs';
import { checkInZone } from './dns';
import { Profile } from '../../core/profile';
import { NAG, acknowledge } from '../../private/nag';
import { HOST_NAME, checkCertificateRegion, checkPattern, checkRange, checkRequired } from '../../private/validate';
import { PublicAlbFrontDoorOptions } from '../front-door';

/** Why log groups use CloudWatch Logs' own encryption rather than a customer KMS key. */
export const LOG_GROUP_KMS_REASON =
  'Encrypted at rest with CloudWatch Logs service keys; a customer KMS key adds 1 USD a month per key plus request charges, which this cost-conscious default leaves out.';

/** What the ALB front doors need to build a load balancer. */
export interface AlbSpec {
  readonly vpc: ec2.IVpc;
  readonly internetFacing: boolean;
  readonly subnets: ec2.SubnetSelection;
  readonly profile: Profile;
  readonly accessLogsBucket?: s3.IBucket;
  readonly certificate?: acm.ICertificate;
  readonly sslPolicy?: elbv2.SslPolicy;
  readonly allowedCidrs?: string[];
  readonly webAclArn?: string;
  readonly idleTimeout?: Duration;
  /** The only peer of an internal ALB (the VPC link). */
  readonly peer?: ec2.IConnectable;
  readonly defaultTargetGroup: elbv2.ApplicationTargetGroup;
}

/** The built load balancer. */
export interface BuiltAlb {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly securityGroup: ec2.SecurityGroup;
  /** The listener that forwards to services (HTTPS when a certificate is given). */
  readonly listener: elbv2.ApplicationListener;
  readonly accessLogsBucket?: s3.IBucket;
}

/** Checks the public ALB options before anything is built. */
export function validatePublicAlbOptions(scope: IConstruct, options: PublicAlbFrontDoorOptions): void {
  checkCertificateRegion(scope, 'frontDoor.certificate', options.certificate?.certificateArn, Stack.of(scope).region, 'a load balancer');
  checkPattern(scope, 'frontDoor.domainName', options.domainName, HOST_NAME, "a host name without scheme or path, e.g. 'api.example.com'");
  // AWS allows an idle timeout of 1 to 4000 seconds.
  const idle = options.idleTimeout;
  if (idle !== undefined && !idle.isUnresolved()) checkRange(scope, 'frontDoor.idleTimeout (seconds)', idle.toSeconds({ integral: false }), { min: 1, max: 4000, integer: true });
  if (options.hostedZone) {
    checkRequired(scope, 'frontDoor.domainName', options.domainName, 'with `hostedZone` (the name of the alias record)');
    checkInZone(scope, 'frontDoor.domainName', options.domainName, options.hostedZone);
  }
}

/** A target group for one Fargate service. */
export function addTargetGroup(
  scope: Construct,
  id: string,
  vpc: ec2.IVpc,
  service: ecs.FargateService,
  port: number,
  healthCheckPath: string,
): elbv2.ApplicationTargetGroup {
  return new elbv2.ApplicationTargetGroup(scope, id, {
    vpc,
    port,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targetType: elbv2.TargetType.IP,
    targets: [service],
    // Short enough for fast deploys, long enough for in-flight requests of a small API.
    deregistrationDelay: Duration.seconds(30),
    healthCheck: {
      path: healthCheckPath,
      healthyHttpCodes: '200-399',
      interval: Duration.seconds(15),
      timeout: Duration.seconds(5),
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 3,
    },
  });
}

/**
 * Builds an ALB that drops invalid headers, with deletion protection and access logs per profile.
 * Internet-facing: HTTPS listener plus an HTTP listener that only redirects. Internal: one
 * listener that admits only `peer`.
 */
export function buildAlb(scope: Construct, spec: AlbSpec): BuiltAlb {
  const securityGroup = new ec2.SecurityGroup(scope, 'LoadBalancerSecurityGroup', {
    vpc: spec.vpc,
    description: `Load balancer of ${scope.node.path}`,
    // Egress is opened only toward the targets, by the target groups.
    allowAllOutbound: false,
  });
  const loadBalancer = new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', {
    vpc: spec.vpc,
    internetFacing: spec.internetFacing,
    vpcSubnets: spec.subnets,
    securityGroup,
    dropInvalidHeaderFields: true,
    deletionProtection: spec.profile.deletionProtection,
    idleTimeout: spec.idleTimeout,
  });
  if (!spec.profile.deletionProtection) {
    acknowledge(loadBalancer, {
      ids: ['HIPAA.Security-ELBDeletionProtectionEnabled', 'NIST.800.53.R5-ELBDeletionProtectionEnabled'],
      reason: `Profile '${spec.profile.name}' turns deletion protection off so that the stack can be torn down; the load balancer holds no data.`,
    });
  }
  const accessLogsBucket = configureAccessLogs(scope, loadBalancer, spec);

  if (spec.internetFacing) {
    openToInternet(scope, loadBalancer, securityGroup, spec);
  } else {
    if (spec.peer) loadBalancer.connections.allowFrom(spec.peer, ec2.Port.tcp(spec.certificate ? 443 : 80), 'VPC link to load balancer');
    acknowledge(loadBalancer, {
      ids: ['NIST.800.53.R5-ALBWAFEnabled'],
      reason: 'An internal load balancer unreachable from the internet; requests arrive only through API Gateway.',
    });
  }
  const listener = addMainListener(loadBalancer, spec);
  return { loadBalancer, securityGroup, listener, accessLogsBucket };
}

/** Admits clients on 80 and 443 (80 only redirects) and attaches the web ACL, if any. */
function openToInternet(scope: Construct, loadBalancer: elbv2.ApplicationLoadBalancer, securityGroup: ec2.SecurityGroup, spec: AlbSpec): void {
  for (const cidr of spec.allowedCidrs ?? ['0.0.0.0/0']) {
    securityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from clients');
    securityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(80), 'HTTP from clients, redirected to HTTPS');
  }
  acknowledge(securityGroup, {
    ids: ['AwsSolutions-EC23'],
    reason: 'A public load balancer admits clients from the internet on 80 (redirect only) and 443; set `allowedCidrs` to narrow it.',
  });
  const redirect = loadBalancer.addListener('Http', {
    port: 80,
    open: false,
    defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
  });
  acknowledge(redirect, {
    ids: ['HIPAA.Security-ELBv2ACMCertificateRequired', 'NIST.800.53.R5-ELBv2ACMCertificateRequired'],
    reason: 'This listener only redirects HTTP to HTTPS; it forwards nothing.',
  });
  if (spec.webAclArn) {
    new wafv2.CfnWebACLAssociation(scope, 'WebAclAssociation', {
      resourceArn: loadBalancer.loadBalancerArn,
      webAclArn: spec.webAclArn,
    });
  } else {
    acknowledge(loadBalancer, {
      ids: ['NIST.800.53.R5-ALBWAFEnabled'],
      reason: 'No web ACL was given (`webAclArn`): WAF costs at least 5 USD a month plus rules, an opt-in for this cost-conscious default.',
    });
  }
}

/** The listener that forwards to the targets: HTTPS with a certificate, else HTTP inside the VPC. */
function addMainListener(loadBalancer: elbv2.ApplicationLoadBalancer, spec: AlbSpec): elbv2.ApplicationListener {
  if (spec.certificate) {
    return loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromCertificateManager(spec.certificate)],
      sslPolicy: spec.sslPolicy ?? elbv2.SslPolicy.RECOMMENDED_TLS,
      open: false,
      defaultTargetGroups: [spec.defaultTargetGroup],
    });
  }
  const listener = loadBalancer.addListener('Http', {
    port: 80,
    protocol: elbv2.ApplicationProtocol.HTTP,
    open: false,
    defaultTargetGroups: [spec.defaultTargetGroup],
  });
  acknowledge(listener, {
    ids: ['HIPAA.Security-ELBv2ACMCertificateRequired', 'NIST.800.53.R5-ELBv2ACMCertificateRequired'],
    reason: 'Internal listener behind API Gateway: TLS ends at API Gateway and this hop stays inside the VPC (set `albCertificate` for TLS here too).',
  });
  acknowledge(loadBalancer, {
    ids: ['HIPAA.Security-ALBHttpToHttpsRedirection', 'NIST.800.53.R5-ALBHttpToHttpsRedirection'],
    reason: 'Internal listener behind API Gateway: clients never reach it; TLS ends at API Gateway (set `albCertificate` for TLS here too).',
  });
  return listener;
}

function configureAccessLogs(scope: Construct, loadBalancer: elbv2.ApplicationLoadBalancer, spec: AlbSpec): s3.IBucket | undefined {
  const off = (reason: string) => acknowledge(loadBalancer, {
    ids: ['AwsSolutions-ELB2', 'HIPAA.Security-ELBLoggingEnabled', 'NIST.800.53.R5-ELBLoggingEnabled'],
    reason,
  });
  if (!spec.accessLogsBucket && !spec.profile.accessLogs) {
    off(`Profile '${spec.profile.name}' turns access logs off (set \`accessLogsBucket\` to keep them anyway).`);
    return undefined;
  }
  if (Token.isUnresolved(Stack.of(scope).region)) {
    Annotations.of(scope).addWarningV2('cdk-lean-stack:alb-access-logs-need-region',
      'Load balancer access logs need a stack with an explicit region (`env.region`); they are off.');
    off('Access logs need a stack with an explicit region; a warning says so at synth.');
    return undefined;
  }
  const bucket = spec.accessLogsBucket ?? createLogsBucket(scope, spec.profile);
  loadBalancer.logAccessLogs(bucket, 'alb');
  return bucket;
}

function createLogsBucket(scope: Construct, profile: Profile): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'AccessLogsBucket', {
    // Load balancers write access logs only to SSE-S3 buckets.
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    removalPolicy: profile.storeRemovalPolicy,
    lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
  });
  acknowledge(bucket,
    { ids: [...NAG.s3AccessLogs], reason: 'This bucket holds access logs; logging its own access would need a further bucket, without end.' },
    { ids: [...NAG.s3Replication], reason: 'Access logs are kept in one region; replicating them doubles their cost for little recovery value.' },
    { ids: [...NAG.s3KmsEncryption], reason: 'Load balancers deliver access logs only to buckets encrypted with SSE-S3, not KMS.' },
  );
  return bucket;
}
