import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { LOG_GROUP_KMS_REASON } from './alb';
import { checkInZone } from './dns';
import { buildEdgeAuthorizers, validateEdgeOnly } from './edge-authorizer';
import { Profile } from '../../core/profile';
import { NAG, acknowledge } from '../../private/nag';
import { HOST_NAME, checkCertificateRegion, checkNotBoth, checkPattern, checkRange, checkRequired } from '../../private/validate';
import { EdgeOnlyAccess } from '../edge-only-access';
import { InternalAlbFrontDoorOptions } from '../front-door';

/**
 * The stage's access log line: one JSON object a request, with what tells a failing request apart.
 * Never the query string or headers: with `edgeOnly` they carry the value that opens the API.
 */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
});

/** What the HTTP API front doors build. */
export interface BuiltHttpApi {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly vpcLink: apigwv2.VpcLink;
  readonly vpcLinkSecurityGroup: ec2.SecurityGroup;
  readonly accessLogGroup: logs.LogGroup;
  readonly domainName?: apigwv2.DomainName;
  /** The alias record of the custom domain, with a hosted zone. */
  readonly aliasRecord?: route53.ARecord;
  readonly authorizer?: apigwv2.IHttpRouteAuthorizer;
  /** The health route's authorizer, with `edgeOnly` (the value in a query parameter). */
  readonly healthAuthorizer?: apigwv2.IHttpRouteAuthorizer;
  /** Set when only the CloudFront distribution may call the API. */
  readonly edgeOnly?: EdgeOnlyAccess;
  readonly url: string;
}

/** Checks the HTTP API options before anything is built. */
export function validateHttpApiOptions(scope: Construct, options: InternalAlbFrontDoorOptions): void {
  checkRange(scope, 'frontDoor.throttlingRateLimit', options.throttlingRateLimit, { min: 1, max: 10000 });
  checkRange(scope, 'frontDoor.throttlingBurstLimit', options.throttlingBurstLimit, { min: 1, max: 5000, integer: true });
  if (options.jwtAuthorizer) {
    checkRequired(scope, 'frontDoor.jwtAuthorizer.issuer', options.jwtAuthorizer.issuer, 'for a JWT authorizer');
    checkPattern(scope, 'frontDoor.jwtAuthorizer.issuer', options.jwtAuthorizer.issuer, /^https:\/\/[A-Za-z0-9.-]+(:[0-9]+)?(\/\S*)?$/,
      "an https URL, e.g. 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc'");
    if (options.jwtAuthorizer.audience.length === 0) {
      checkRequired(scope, 'frontDoor.jwtAuthorizer.audience', undefined, 'to hold at least one audience');
    }
  }
  if (options.edgeOnly) {
    checkNotBoth(scope, 'frontDoor.edgeOnly', options.edgeOnly, 'frontDoor.jwtAuthorizer', options.jwtAuthorizer);
    validateEdgeOnly(scope, options.edgeOnly);
  }
  const region = Stack.of(scope).region;
  if (options.domain) {
    checkPattern(scope, 'frontDoor.domain.domainName', options.domain.domainName, HOST_NAME, "a host name without scheme or path, e.g. 'api.example.com'");
    checkCertificateRegion(scope, 'frontDoor.domain.certificate', options.domain.certificate?.certificateArn, region, 'a regional API Gateway domain');
    checkInZone(scope, 'frontDoor.domain.domainName', options.domain.domainName, options.domain.hostedZone);
  }
  checkCertificateRegion(scope, 'frontDoor.albCertificate', options.albCertificate?.certificateArn, region, 'a load balancer');
  checkPattern(scope, 'frontDoor.albServerName', options.albServerName, HOST_NAME, "a host name without scheme or path, e.g. 'internal.example.com'");
  if (options.disableExecuteApiEndpoint && !options.domain) {
    checkRequired(scope, 'frontDoor.domain', options.domain, 'when `disableExecuteApiEndpoint` is true (clients would have no way in)');
  }
}

/**
 * Builds an HTTP API with a `$default` stage (throttling, JSON access logs), a VPC link with its
 * own security group, an optional custom domain and JWT authorizer, and a `$default` route.
 */
export function buildHttpApi(
  scope: Construct,
  vpc: ec2.IVpc,
  linkSubnets: ec2.SubnetSelection,
  options: InternalAlbFrontDoorOptions,
  profile: Profile,
): BuiltHttpApi {
  const vpcLinkSecurityGroup = new ec2.SecurityGroup(scope, 'VpcLinkSecurityGroup', {
    vpc,
    description: `VPC link of ${scope.node.path}: reaches only the service`,
    allowAllOutbound: false,
  });
  const vpcLink = new apigwv2.VpcLink(scope, 'VpcLink', { vpc, subnets: linkSubnets, securityGroups: [vpcLinkSecurityGroup] });

  const auth = buildAuthorizers(scope, options, profile);
  const httpApi = new apigwv2.HttpApi(scope, 'HttpApi', {
    description: `Front door of ${scope.node.path}`,
    createDefaultStage: false,
    corsPreflight: options.cors,
    disableExecuteApiEndpoint: options.disableExecuteApiEndpoint,
  });

  const accessLogGroup = new logs.LogGroup(scope, 'AccessLogs', {
    retention: options.accessLogRetention ?? profile.logRetention,
    removalPolicy: profile.storeRemovalPolicy,
  });
  acknowledge(accessLogGroup, {
    ids: [...NAG.logGroupKms],
    reason: LOG_GROUP_KMS_REASON,
  });
  const domainName = options.domain
    ? new apigwv2.DomainName(scope, 'Domain', {
      domainName: options.domain.domainName,
      certificate: options.domain.certificate,
      securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
    })
    : undefined;
  const stage = new apigwv2.HttpStage(scope, 'Stage', {
    httpApi,
    stageName: '$default',
    autoDeploy: true,
    throttle: {
      rateLimit: options.throttlingRateLimit ?? 100,
      burstLimit: options.throttlingBurstLimit ?? 200,
    },
    accessLogSettings: {
      destination: new apigwv2.LogGroupLogDestination(accessLogGroup),
      format: apigw.AccessLogFormat.custom(ACCESS_LOG_FORMAT),
    },
    domainMapping: domainName ? { domainName } : undefined,
  });

  const aliasRecord = domainName && options.domain?.hostedZone
    ? new route53.ARecord(scope, 'DomainAlias', {
      zone: options.domain.hostedZone,
      recordName: options.domain.domainName,
      target: route53.RecordTarget.fromAlias(
        new targets.ApiGatewayv2DomainProperties(domainName.regionalDomainName, domainName.regionalHostedZoneId),
      ),
    })
    : undefined;
  const url = options.domain ? `https://${options.domain.domainName}` : httpApi.apiEndpoint;
  return { httpApi, stage, vpcLink, vpcLinkSecurityGroup, accessLogGroup, domainName, aliasRecord, ...auth, edgeOnly: options.edgeOnly, url };
}

/** The JWT authorizer, or the edge-only pair (every route, the health route), or none. */
function buildAuthorizers(
  scope: Construct,
  options: InternalAlbFrontDoorOptions,
  profile: Profile,
): { authorizer?: apigwv2.IHttpRouteAuthorizer; healthAuthorizer?: apigwv2.IHttpRouteAuthorizer } {
  if (options.jwtAuthorizer) {
    return {
      authorizer: new authorizers.HttpJwtAuthorizer('JwtAuthorizer', options.jwtAuthorizer.issuer, {
        jwtAudience: options.jwtAuthorizer.audience,
        identitySource: options.jwtAuthorizer.identitySource,
      }),
    };
  }
  return options.edgeOnly ? buildEdgeAuthorizers(scope, options.edgeOnly, profile) : {};
}

/**
 * Adds a route to the API and acknowledges, at the route, that it has no authorizer when none
 * was asked for. `path` undefined means the `$default` route.
 */
export function addRoute(
  scope: Construct,
  id: string,
  api: BuiltHttpApi,
  path: string | undefined,
  integration: apigwv2.HttpRouteIntegration,
): apigwv2.HttpRoute {
  const route = new apigwv2.HttpRoute(scope, id, {
    httpApi: api.httpApi,
    routeKey: path === undefined ? apigwv2.HttpRouteKey.DEFAULT : apigwv2.HttpRouteKey.with(path, apigwv2.HttpMethod.ANY),
    integration,
    authorizer: api.authorizer,
  });
  if (!api.authorizer) {
    acknowledge(route, {
      ids: ['AwsSolutions-APIG4'],
      reason: 'No JWT authorizer was asked for: the application authenticates its own requests (set `jwtAuthorizer` to have API Gateway do it).',
    });
  }
  return route;
}

/**
 * With `edgeOnly`, gives `GET <healthPath>` its own authorizer, which reads the value from the
 * query parameter instead of the header, so that Route 53 health checks (which cannot add the
 * distribution's header) still see the service. Other methods and paths keep the header.
 */
export function addHealthRoute(scope: Construct, api: BuiltHttpApi, healthPath: string, integration: apigwv2.HttpRouteIntegration): void {
  if (!api.edgeOnly) return;
  new apigwv2.HttpRoute(scope, 'HealthRoute', {
    httpApi: api.httpApi,
    routeKey: apigwv2.HttpRouteKey.with(healthPath, apigwv2.HttpMethod.GET),
    integration,
    authorizer: api.healthAuthorizer,
  });
}
