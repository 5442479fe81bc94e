import { Annotations, Duration } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { addTargetGroup, buildAlb } from './alb';
import { BuiltHttpApi, addHealthRoute, addRoute, buildHttpApi } from './http-api';
import { ResolvedModule, moduleId } from './modules';
import { RunningService } from './running-service';
import { Profile } from '../../core/profile';
import { FrontDoor, FrontDoorKind, InternalAlbFrontDoorOptions } from '../front-door';

/** One service behind the front door: the main one (`module` undefined) or a split module. */
export type FrontDoorTarget = RunningService;

/** What the front door needs to know. */
export interface FrontDoorSpec {
  readonly frontDoor: FrontDoor;
  readonly vpc: ec2.IVpc;
  readonly profile: Profile;
  readonly containerPort: number;
  readonly modules: ResolvedModule[];
  readonly main: FrontDoorTarget;
  readonly splits: FrontDoorTarget[];
  /** Where the VPC link of the Cloud Map door lives (the tasks' subnets). */
  readonly taskSubnets: ec2.SubnetSelection;
  /** Whether private subnets with egress exist. */
  readonly hasNat: boolean;
  readonly requestsPerTarget: number;
  readonly accessLogsBucket?: s3.IBucket;
}

/** What the front door built. */
export interface BuiltFrontDoor {
  readonly url: string;
  readonly api?: BuiltHttpApi;
  readonly loadBalancer?: elbv2.ApplicationLoadBalancer;
  readonly loadBalancerSecurityGroup?: ec2.SecurityGroup;
  readonly listener?: elbv2.ApplicationListener;
  readonly targetGroups: elbv2.ApplicationTargetGroup[];
  readonly accessLogGroup?: logs.LogGroup;
  /** The custom domain's alias record, when a hosted zone was given. */
  readonly aliasRecord?: route53.ARecord;
}

/** Builds the chosen front door in front of the services and routes each module to its service. */
export function buildFrontDoor(scope: Construct, spec: FrontDoorSpec): BuiltFrontDoor {
  switch (spec.frontDoor.kind) {
    case FrontDoorKind.HTTP_API_CLOUD_MAP:
      return cloudMapDoor(scope, spec);
    case FrontDoorKind.HTTP_API_INTERNAL_ALB:
      return albDoor(scope, spec, false);
    default:
      return albDoor(scope, spec, true);
  }
}

function targetOf(spec: FrontDoorSpec, module: ResolvedModule): FrontDoorTarget {
  return (module.split && spec.splits.find((s) => s.module === module.name)) || spec.main;
}

function cloudMapDoor(scope: Construct, spec: FrontDoorSpec): BuiltFrontDoor {
  const api = buildHttpApi(scope, spec.vpc, spec.taskSubnets, spec.frontDoor.httpApiOptions ?? {}, spec.profile);
  const integrationOf = new Map<FrontDoorTarget, apigwv2.HttpRouteIntegration>();
  for (const target of [spec.main, ...spec.splits]) {
    // The tasks admit the VPC link, and nothing else from outside the monolith.
    target.securityGroup.connections.allowFrom(api.vpcLinkSecurityGroup, ec2.Port.tcp(spec.containerPort), 'VPC link to tasks');
    const id = target.module ? `${moduleId(target.module)}Integration` : 'AppIntegration';
    integrationOf.set(target, new integrations.HttpServiceDiscoveryIntegration(id, target.service.cloudMapService!, { vpcLink: api.vpcLink }));
  }
  addRoute(scope, 'DefaultRoute', api, undefined, integrationOf.get(spec.main)!);
  addHealthRoute(scope, api, spec.main.healthCheckPath, integrationOf.get(spec.main)!);
  for (const module of spec.modules) {
    const integration = integrationOf.get(targetOf(spec, module))!;
    const id = moduleId(module.name);
    addRoute(scope, `${id}Route`, api, module.base, integration);
    addRoute(scope, `${id}ProxyRoute`, api, `${module.base}/{proxy+}`, integration);
  }
  return { url: api.url, api, targetGroups: [], accessLogGroup: api.accessLogGroup, aliasRecord: api.aliasRecord };
}

function albDoor(scope: Construct, spec: FrontDoorSpec, internetFacing: boolean): BuiltFrontDoor {
  const targets = [spec.main, ...spec.splits];
  const groupOf = new Map<FrontDoorTarget, elbv2.ApplicationTargetGroup>();
  for (const target of targets) {
    groupOf.set(target, addTargetGroup(target.scope, 'TargetGroup', spec.vpc, target.service, spec.containerPort, target.healthCheckPath));
  }
  const defaultTargetGroup = groupOf.get(spec.main)!;

  let api: BuiltHttpApi | undefined;
  let subnets: ec2.SubnetSelection;
  if (internetFacing) {
    subnets = { subnetType: ec2.SubnetType.PUBLIC };
  } else {
    subnets = spec.hasNat
      ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }
      : spec.vpc.isolatedSubnets.length > 0 ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : { subnetType: ec2.SubnetType.PUBLIC };
    api = buildHttpApi(scope, spec.vpc, subnets, spec.frontDoor.httpApiOptions ?? {}, spec.profile);
  }
  const publicOptions = spec.frontDoor.publicAlbOptions;
  const internalOptions = spec.frontDoor.httpApiOptions;
  const internalTls = internalHopTls(scope, spec.profile, internalOptions, internetFacing);
  const alb = buildAlb(scope, {
    vpc: spec.vpc,
    internetFacing,
    subnets,
    profile: spec.profile,
    accessLogsBucket: spec.accessLogsBucket,
    certificate: internetFacing ? publicOptions?.certificate : internalTls?.certificate,
    sslPolicy: publicOptions?.sslPolicy,
    allowedCidrs: publicOptions?.allowedCidrs,
    webAclArn: publicOptions?.webAclArn,
    idleTimeout: publicOptions?.idleTimeout,
    peer: api?.vpcLinkSecurityGroup,
    defaultTargetGroup,
  });

  // Most specific paths first, so that /orders/items/* wins over /orders/*.
  const ordered = [...spec.modules].sort((a, b) => b.base.split('/').length - a.base.split('/').length);
  ordered.forEach((module, i) => {
    new elbv2.ApplicationListenerRule(scope, `${moduleId(module.name)}Rule`, {
      listener: alb.listener,
      priority: (i + 1) * 10,
      conditions: [elbv2.ListenerCondition.pathPatterns([module.base, `${module.base}/*`])],
      targetGroups: [groupOf.get(targetOf(spec, module))!],
    });
  });
  for (const target of targets) target.scaleOnRequests(groupOf.get(target)!, spec.requestsPerTarget);

  let url: string;
  if (api) {
    const integration = new integrations.HttpAlbIntegration('AlbIntegration', alb.listener, {
      vpcLink: api.vpcLink,
      secureServerName: internalTls?.serverName,
      timeout: Duration.seconds(29),
    });
    addRoute(scope, 'DefaultRoute', api, undefined, integration);
    addHealthRoute(scope, api, spec.main.healthCheckPath, integration);
    url = api.url;
  } else {
    url = `https://${publicOptions?.domainName ?? alb.loadBalancer.loadBalancerDnsName}`;
  }
  const zone = internetFacing ? publicOptions?.hostedZone : undefined;
  const aliasRecord = zone && publicOptions?.domainName
    ? new route53.ARecord(scope, 'LoadBalancerAlias', {
      zone,
      recordName: publicOptions.domainName,
      target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(alb.loadBalancer)),
    })
    : api?.aliasRecord;
  return {
    url,
    api,
    loadBalancer: alb.loadBalancer,
    loadBalancerSecurityGroup: alb.securityGroup,
    listener: alb.listener,
    targetGroups: targets.map((t) => groupOf.get(t)!),
    accessLogGroup: api?.accessLogGroup,
    aliasRecord,
  };
}

/**
 * The certificate and server name of the internal ALB's HTTPS listener: the ones given, or in a
 * production profile the API's own custom domain certificate (API Gateway then verifies the ALB
 * against the API's domain name), so the hop from the VPC link to the ALB is encrypted at no
 * extra cost. Production without either stays plain HTTP inside the VPC, with a warning.
 */
function internalHopTls(
  scope: Construct,
  profile: Profile,
  options: InternalAlbFrontDoorOptions | undefined,
  internetFacing: boolean,
): { certificate: acm.ICertificate; serverName?: string } | undefined {
  if (internetFacing) return undefined;
  if (options?.albCertificate) return { certificate: options.albCertificate, serverName: options.albServerName };
  if (!profile.production) return undefined;
  if (options?.domain) return { certificate: options.domain.certificate, serverName: options.domain.domainName };
  Annotations.of(scope).addWarningV2('cdk-lean-stack:internal-hop-plain-http',
    'The hop from API Gateway\'s VPC link to the internal load balancer is plain HTTP inside the VPC: give the front door a `domain` (its certificate is reused) or an `albCertificate` to encrypt it.');
  return undefined;
}
