import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { fixture, Fixture } from './fakes';
import { Profile } from '../../src/core/profile';
import { IdleCostEstimate } from '../../src/cost';
import { FailoverTarget, PilotLightDr, PilotLightDrProps, StandbyService } from '../../src/dr';
import { EdgeOnlyAccess, FrontDoor, ModularMonolithService, ServiceImage } from '../../src/service';
import { expectCompliant } from '../helpers/compliance';
import { controlTowerFailures } from '../helpers/control-tower';

const ZONE = { hostedZoneId: 'Z123', zoneName: 'example.com' };

/** A real ModularMonolithService with two modules behind the default HTTP API + Cloud Map door. */
function primaryService(f: Fixture, door?: FrontDoor): ModularMonolithService {
  const repository = new ecr.Repository(f.primary, 'AppRepo');
  return new ModularMonolithService(f.primary, 'Api', {
    vpc: f.vpc,
    image: ServiceImage.fromEcrRepository(repository, 'v1'),
    modules: [{ name: 'orders', path: '/orders/*' }, { name: 'billing', path: '/billing/*' }],
    healthCheckPath: '/health',
    frontDoor: door,
  });
}

function apiDomain(f: Fixture, name = 'api.example.com'): FrontDoor {
  const certificate = acm.Certificate.fromCertificateArn(f.primary, 'PrimaryCert', 'arn:aws:acm:eu-west-1:111111111111:certificate/primary');
  return FrontDoor.httpApiCloudMap({ domain: { domainName: name, certificate } });
}

function drVpc(f: Fixture): ec2.Vpc {
  return new ec2.Vpc(f.drStack, 'DrVpc', { natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
}

function zone(f: Fixture): route53.IHostedZone {
  return (f.drStack.node.tryFindChild('Zone') as route53.IHostedZone | undefined)
    ?? route53.HostedZone.fromHostedZoneAttributes(f.drStack, 'Zone', ZONE);
}

function dr(f: Fixture, service: ModularMonolithService, extra: Partial<PilotLightDrProps> = {}): PilotLightDr {
  return new PilotLightDr(f.primary, 'Dr', { service, database: f.database, drStack: f.drStack, ...extra });
}

describe('the standby front door', () => {
  test('an HTTP API with a VPC link and a private DNS namespace, the primary\'s routes, at zero tasks', () => {
    // GIVEN a primary with the default door and two modules
    const f = fixture();
    const service = primaryService(f);
    // WHEN
    const pilot = dr(f, service);
    // THEN
    const t = Template.fromStack(f.drStack);
    t.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    t.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
    t.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: service.namespace!.namespaceName });
    t.hasResourceProperties('AWS::ServiceDiscovery::Service', { DnsConfig: { DnsRecords: [{ Type: 'SRV', TTL: 10 }] } });
    for (const key of ['$default', 'ANY /orders', 'ANY /orders/{proxy+}', 'ANY /billing', 'ANY /billing/{proxy+}']) {
      t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key });
    }
    t.resourceCountIs('AWS::ApiGatewayV2::Route', 5);
    t.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'HTTP_PROXY', ConnectionType: 'VPC_LINK' });
    t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 0, ServiceRegistries: Match.anyValue() });
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 8080, Description: 'VPC link to standby tasks' });
    expect(pilot.standby.httpApi).toBeDefined();
    expect(pilot.standby.url).toBe(pilot.standby.httpApi!.apiEndpoint);
    expect(pilot.standby.domainName).toBeUndefined();
    expectCompliant(f.drStack);
  });

  test('an edge-only primary: the standby API expects the header value the site sends, the primary stack\'s', () => {
    // GIVEN a primary that only the site's distribution may call, with the free stack-derived value
    const f = fixture();
    const service = primaryService(f, FrontDoor.httpApiCloudMap({ edgeOnly: EdgeOnlyAccess.stackSecret() }));
    // WHEN
    dr(f, service);
    // THEN the standby has the same authorizer, and its expected value is the primary stack's (a
    // cross-region reference), not the DR stack's own id
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { IdentitySource: ['$request.header.x-origin-verify'] });
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { IdentitySource: ['$request.querystring.x-origin-verify'] });
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /health', AuthorizationType: 'CUSTOM' });
    // every route of the standby has an authorizer, as the primary's
    t.resourcePropertiesCountIs('AWS::ApiGatewayV2::Route', { AuthorizationType: 'CUSTOM' }, 6);
    t.resourceCountIs('AWS::ApiGatewayV2::Route', 6);
    type Fn = { Properties: { Environment: { Variables: { EXPECTED_VALUE: unknown } } } };
    const [authorizer] = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { HEADER_NAME: 'x-origin-verify' } } } })) as Fn[];
    const expected = JSON.stringify(authorizer.Properties.Environment.Variables.EXPECTED_VALUE);
    expect(expected).not.toContain('AWS::StackId');
    expect(expected).toContain('ExportsReader');
    expect(service.edgeHeaders).toEqual({ 'x-origin-verify': expect.any(String) });
    // the failover health check carries the same value in the health route's query parameter, over HTTPS
    const check = Object.values(t.findResources('AWS::Route53::HealthCheck'))[0].Properties.HealthCheckConfig;
    expect(check.Type).toBe('HTTPS');
    expect(check.ResourcePath['Fn::Join'][1][0]).toBe('/health?x-origin-verify=');
    expect(JSON.stringify(check.ResourcePath)).toBe(JSON.stringify({ 'Fn::Join': ['', ['/health?x-origin-verify=', authorizer.Properties.Environment.Variables.EXPECTED_VALUE]] }));
    expectCompliant(f.drStack);
  });

  test('an edge-only primary and its standby pass AWS Control Tower\'s CT.APIGATEWAY.PR.5 (every route has an authorizer)', () => {
    const f = fixture();
    const service = primaryService(f, FrontDoor.httpApiCloudMap({ edgeOnly: EdgeOnlyAccess.stackSecret() }));
    dr(f, service);
    const failures = controlTowerFailures([f.primary, f.drStack]);
    expect(failures.get(f.primary.stackName)!.get('CT.APIGATEWAY.PR.5')).toBeUndefined();
    expect(failures.get(f.drStack.stackName)!.get('CT.APIGATEWAY.PR.5')).toBeUndefined();
    expect(failures.get(f.drStack.stackName)!.get('CT.LAMBDA.PR.2')).toBeUndefined();
  });

  test('idles at the namespace\'s hosted zone only: 0.50 USD a month more', () => {
    const f = fixture();
    const pilot = dr(f, primaryService(f));
    const estimate = IdleCostEstimate.ofStack(pilot.drStack);
    const door = estimate.items.filter((l) => l.resourceType.startsWith('AWS::ServiceDiscovery') || l.resourceType.startsWith('AWS::ApiGatewayV2'));
    expect(door.reduce((sum, l) => sum + l.monthlyUsd, 0)).toBeCloseTo(0.5, 2);
    expect(estimate.unpricedItems).toEqual([]);
    expect(estimate.unknownResourceTypes).toEqual([]);
  });

  test('a custom domain with a new DNS-validated certificate in the DR region', () => {
    const f = fixture();
    const service = primaryService(f);
    const pilot = dr(f, service, { standbyDomain: { domainName: 'dr.api.example.com', hostedZone: zone(f) } });
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'dr.api.example.com',
      DomainValidationOptions: [{ DomainName: 'dr.api.example.com', HostedZoneId: 'Z123' }],
      ValidationMethod: 'DNS',
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'dr.api.example.com' });
    t.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { Stage: '$default' });
    expect(pilot.standby.url).toBe('https://dr.api.example.com');
    expectCompliant(f.drStack);
  });

  test('a certificate the user brings is used as it is', () => {
    const f = fixture();
    const certificate = acm.Certificate.fromCertificateArn(f.drStack, 'DrCert', 'arn:aws:acm:eu-central-1:111111111111:certificate/dr');
    const standby = new StandbyService(f.drStack, 'Standby', {
      primary: primaryService(f),
      vpc: drVpc(f),
      database: { host: 'db.internal', port: 5432, databaseName: 'app' },
      domain: { domainName: 'dr.api.example.com', certificate },
    });
    Template.fromStack(f.drStack).resourceCountIs('AWS::CertificateManager::Certificate', 0);
    Template.fromStack(f.drStack).hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: 'arn:aws:acm:eu-central-1:111111111111:certificate/dr' })],
    });
    expect(standby.certificate).toBe(certificate);
  });

  test('frontDoor: false builds none', () => {
    const f = fixture();
    const standby = new StandbyService(f.drStack, 'Standby', {
      primary: primaryService(f),
      vpc: drVpc(f),
      database: { host: 'db.internal', port: 5432, databaseName: 'app' },
      frontDoor: false,
    });
    expect(standby.httpApi).toBeUndefined();
    expect(standby.url).toBeUndefined();
  });

  test('refuses a domain with neither a certificate nor a hosted zone', () => {
    const f = fixture();
    expect(() => new StandbyService(f.drStack, 'Standby', {
      primary: primaryService(f),
      vpc: drVpc(f),
      database: { host: 'db.internal', port: 5432, databaseName: 'app' },
      domain: { domainName: 'dr.api.example.com' },
    })).toThrow('`domain.hostedZone` is required when `domain.certificate` is not given (a new certificate is validated in it), got: undefined');
  });
});

describe('failover records point at the two real front doors', () => {
  test('by default: the record aliases the primary API\'s custom domain (PRIMARY) and the standby\'s (SECONDARY), both named the record', () => {
    // GIVEN a primary API with the custom domain api.example.com
    const f = fixture();
    const service = primaryService(f, apiDomain(f));
    // WHEN
    const pilot = dr(f, service, {
      failoverRouting: { hostedZone: zone(f), recordName: 'api.example.com' },
      healthCheckInterval: Duration.seconds(10),
      healthCheckFailureThreshold: 2,
    });
    // THEN
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'api.example.com' });
    t.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'api.example.com', ValidationMethod: 'DNS' });
    const records = t.findResources('AWS::Route53::RecordSet');
    const byFailover = Object.fromEntries(Object.values(records).map((r) => [r.Properties.Failover, r.Properties]));
    expect(byFailover.PRIMARY).toMatchObject({ Name: 'api.example.com.', Type: 'A', AliasTarget: { DNSName: expect.anything(), HostedZoneId: expect.anything() } });
    expect(byFailover.SECONDARY).toMatchObject({ Name: 'api.example.com.', Type: 'A' });
    expect(byFailover.SECONDARY.AliasTarget.DNSName).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/StandbyDomain|Domain/), 'RegionalDomainName'] });
    expect(byFailover.PRIMARY.ResourceRecords).toBeUndefined();
    // the health check requests the primary's own execute-api host on its health path, never the record
    t.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ ResourcePath: '/health', RequestInterval: 10, FailureThreshold: 2, Type: 'HTTPS' }),
    });
    const check = Object.values(t.findResources('AWS::Route53::HealthCheck'))[0].Properties.HealthCheckConfig;
    expect(JSON.stringify(check.FullyQualifiedDomainName)).not.toContain('api.example.com');
    expect(pilot.standby.url).toBe('https://api.example.com');
    expect(pilot.routing.primaryRecord).toBeDefined();
    expectCompliant(f.drStack);
  });

  test('a secondary the user brings is used, and no standby domain is made', () => {
    const f = fixture();
    const service = primaryService(f, apiDomain(f));
    const pilot = dr(f, service, {
      failoverRouting: { hostedZone: zone(f), recordName: 'api.example.com', secondaryTarget: FailoverTarget.fromDomainName('dr.example.net') },
    });
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'SECONDARY', Type: 'CNAME', ResourceRecords: ['dr.example.net'] });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'PRIMARY', Type: 'A' });
    t.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    expect(pilot.standby.domainName).toBeUndefined();
  });

  test('refuses a record name the primary API does not answer to', () => {
    const f = fixture();
    const service = primaryService(f, apiDomain(f, 'primary.example.com'));
    expect(() => dr(f, service, { failoverRouting: { hostedZone: zone(f), recordName: 'api.example.com' } }))
      .toThrow("`failoverRouting.recordName` must be the primary API's custom domain name 'primary.example.com' (API Gateway answers a host name only through a custom domain of that name), or give `primaryTarget`, got: 'api.example.com'");
  });

  test('refuses records for a primary API without a custom domain and no primaryTarget', () => {
    const f = fixture();
    expect(() => dr(f, primaryService(f), { failoverRouting: { hostedZone: zone(f), recordName: 'api.example.com' } }))
      .toThrow('`failoverRouting.primaryTarget` is required when the primary HTTP API has no custom domain (API Gateway answers the record name only through a custom domain of that name), got: undefined');
  });

  test('refuses records without a secondary for a primary without an HTTP API', () => {
    const f = fixture();
    expect(() => new PilotLightDr(f.primary, 'Dr', {
      service: f.service,
      database: f.database,
      drStack: f.drStack,
      failoverRouting: { hostedZone: zone(f), recordName: 'app.example.com' },
    })).toThrow('`failoverRouting.secondaryTarget` is required when the primary has no HTTP API front door (no standby front door is built for it), got: undefined');
  });

  test('refuses a health check threshold out of range', () => {
    const f = fixture();
    expect(() => dr(f, primaryService(f), { healthCheckFailureThreshold: 11 }))
      .toThrow('`healthCheckFailureThreshold` must be an integer between 1 and 10, got: 11');
  });

  test.each([
    ['development', Profile.DEVELOPMENT],
    ['cost-conscious production', Profile.COST_CONSCIOUS_PRODUCTION],
    ['highly available production', Profile.HIGHLY_AVAILABLE_PRODUCTION],
  ])('front doors and records cdk-nag clean in both regions: %s', (_name, profile) => {
    const f = fixture();
    const service = primaryService(f, apiDomain(f));
    dr(f, service, { profile, failoverRouting: { hostedZone: zone(f), recordName: 'api.example.com' } });
    expectCompliant(f.drStack);
    expectCompliant(f.primary.node.findChild('Dr'));
  });
});
