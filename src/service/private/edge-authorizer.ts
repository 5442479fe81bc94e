import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Profile } from '../../core/profile';
import { NAG, acknowledge } from '../../private/nag';
import { checkPattern, invalid } from '../../private/validate';
import { EdgeOnlyAccess } from '../edge-only-access';

/** Where the authorizer's code lives (shipped in the npm package under assets/). */
export const EDGE_AUTHORIZER_CODE = path.join(__dirname, '..', '..', '..', 'assets', 'service', 'edge-only');

/** Headers CloudFront refuses to add to origin requests (its documented list, lower case). */
const REFUSED_BY_CLOUDFRONT = [
  'cache-control', 'connection', 'content-length', 'cookie', 'host', 'if-match', 'if-modified-since',
  'if-none-match', 'if-range', 'if-unmodified-since', 'max-forwards', 'pragma', 'proxy-authorization',
  'proxy-connection', 'range', 'request-range', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via',
  'x-real-ip', 'authorization',
];

/** Checks the header name the distribution will add. */
export function validateEdgeOnly(scope: Construct, access: EdgeOnlyAccess): void {
  const prop = 'frontDoor.edgeOnly.headerName';
  checkPattern(scope, prop, access.headerName, /^[a-z0-9][a-z0-9-]{0,127}$/, "a lower-case header name of letters, digits and hyphens, e.g. 'x-origin-verify'");
  if (REFUSED_BY_CLOUDFRONT.includes(access.headerName) || /^x-(amz|edge)-/.test(access.headerName)) {
    invalid(scope, prop, access.headerName, 'a header CloudFront may add to origin requests (not a standard request header, not x-amz-* or x-edge-*)');
  }
  // The value travels unescaped in the health check's query string (and in a header).
  const literal = access._literalSecret();
  if (literal !== undefined && !/^[A-Za-z0-9._~-]+$/.test(literal)) {
    invalid(scope, 'frontDoor.edgeOnly', '(a `fromSecret` value, not shown)', "a secret of letters, digits, '-', '_', '.' and '~' only (it is sent in a query string)");
  }
}

/** The two authorizers of an edge-only API, on one function. */
export interface EdgeAuthorizers {
  /** Every route but the health route: the distribution's header. */
  readonly authorizer: authorizers.HttpLambdaAuthorizer;
  /** `GET <health path>`: the query parameter of the same name, which a Route 53 health check can send. */
  readonly healthAuthorizer: authorizers.HttpLambdaAuthorizer;
}

/**
 * The Lambda authorizers of an edge-only API: they answer "authorized" only for requests that
 * carry the distribution's value, in the header (every route) or in the query parameter of the
 * same name (the health route). API Gateway caches the answer for an hour per value and refuses
 * requests without the identity source before calling the function.
 */
export function buildEdgeAuthorizers(scope: Construct, access: EdgeOnlyAccess, profile: Profile): EdgeAuthorizers {
  const logGroup = new logs.LogGroup(scope, 'EdgeOnlyLogs', {
    retention: profile.logRetention,
    removalPolicy: profile.storeRemovalPolicy,
  });
  acknowledge(logGroup, {
    ids: [...NAG.logGroupKms],
    reason: 'The authorizer logs only its start and errors; CloudWatch Logs encrypts them with its own key (a customer managed key with the `encryptLogs` profile decision).',
  });
  const fn = new lambda.Function(scope, 'EdgeOnlyAuthorizer', {
    description: 'Lets through only requests that carry the CloudFront distribution\'s origin header (or, on the health route, its query parameter)',
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(EDGE_AUTHORIZER_CODE),
    timeout: Duration.seconds(3),
    memorySize: 128,
    logGroup,
    environment: { HEADER_NAME: access.headerName, EXPECTED_VALUE: access.valueFor(scope) },
  });
  acknowledge(fn.role as iam.IRole, { ids: [NAG.lambdaBasicExecution[0]], reason: 'The AWS managed basic execution policy only lets the function write its own logs.' });
  acknowledge(fn, {
    ids: ['AwsSolutions-L1'],
    reason: 'Pinned to Node.js 22, which the handler is tested against; moved forward deliberately.',
  }, {
    ids: [...NAG.lambdaInVpc],
    reason: 'The authorizer compares a header with a value and calls nothing; in the VPC it would only add cold-start time.',
  }, {
    ids: [...NAG.lambdaConcurrency],
    reason: 'Answers are cached an hour per header value, so it runs about once an hour; reserved concurrency would take from the account pool.',
  }, {
    ids: [...NAG.lambdaDlq],
    reason: 'Invoked synchronously by API Gateway: a failure is a refused request, there is no event to keep.',
  });
  // API Gateway invokes the function through a role of its own rather than a resource policy on
  // the function, whose execute-api source ARN AWS Control Tower's CT.LAMBDA.PR.2 cannot read.
  const invokeRole = new iam.Role(scope, 'EdgeOnlyInvokeRole', {
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    description: 'Lets API Gateway call the edge-only authorizer',
  });
  // a managed policy rather than the role's inline default policy (HIPAA and NIST IAMNoInlinePolicy)
  new iam.ManagedPolicy(scope, 'EdgeOnlyInvokePolicy', {
    roles: [invokeRole],
    statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] })],
  });
  const authorizer = (id: string, name: string, identitySource: string) => new authorizers.HttpLambdaAuthorizer(id, fn, {
    role: invokeRole.withoutPolicyUpdates(),
    authorizerName: name,
    identitySource: [identitySource],
    responseTypes: [authorizers.HttpLambdaResponseType.SIMPLE],
    resultsCacheTtl: Duration.hours(1),
  });
  return {
    authorizer: authorizer('EdgeOnly', 'edge-only', `$request.header.${access.headerName}`),
    healthAuthorizer: authorizer('EdgeOnlyHealth', 'edge-only-health', `$request.querystring.${access.queryParameterName}`),
  };
}
