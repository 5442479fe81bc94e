import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IMAGE, propertiesOf, stackWithVpc } from './fixtures';
import { FrontDoor, FrontDoorKind, ModularMonolithService, ModularMonolithServiceProps, Profile, PublicAlbFrontDoorOptions, ServiceImage } from '../../src';
import { expectCompliant } from '../helpers/compliance';

const CERT_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/abc';

function build(frontDoorOf: (certificate: acm.ICertificate) => FrontDoor, props: Partial<ModularMonolithServiceProps> = {}, nat = false) {
  const { stack, vpc } = stackWithVpc({ nat });
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
  const service = new ModularMonolithService(stack, 'Api', { vpc, image: ServiceImage.fromRegistry(IMAGE), frontDoor: frontDoorOf(certificate), ...props });
  return { stack, service, template: Template.fromStack(stack) };
}

describe('FrontDoor', () => {
  test('kinds and flags', () => {
    expect(FrontDoor.httpApiCloudMap().kind).toBe(FrontDoorKind.HTTP_API_CLOUD_MAP);
    expect(FrontDoor.httpApiInternalAlb().usesLoadBalancer).toBe(true);
    expect(FrontDoor.httpApiCloudMap().usesLoadBalancer).toBe(false);
    expect(FrontDoor.publicAlb({ certificate: {} as acm.ICertificate }).usesHttpApi).toBe(false);
  });
});

describe('HTTP API + VPC link + Cloud Map', () => {
  test('tasks register in Cloud Map with SRV records; the API integrates through a VPC link', () => {
    const { template } = build(() => FrontDoor.httpApiCloudMap());
    template.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: 'app', DnsConfig: Match.objectLike({ DnsRecords: [{ TTL: 10, Type: 'SRV' }] }) });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      ConnectionType: 'VPC_LINK',
      ConnectionId: { Ref: Match.stringLikeRegexp('ApiVpcLink') },
      IntegrationUri: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiServiceCloudmapService'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
  });

  test('the tasks admit only the VPC link security group, on the container port', () => {
    const { template } = build(() => FrontDoor.httpApiCloudMap());
    const ingress = propertiesOf(template, 'AWS::EC2::SecurityGroupIngress')
      .filter(([, p]) => JSON.stringify(p.GroupId).includes('ApiSecurityGroup'));
    expect(ingress).toHaveLength(1);
    expect(ingress[0][1]).toMatchObject({ FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^ApiVpcLinkSecurityGroup/), 'GroupId'] } });
    // The VPC link may only reach the tasks.
    const egress = propertiesOf(template, 'AWS::EC2::SecurityGroupEgress')
      .filter(([, p]) => JSON.stringify(p.GroupId).includes('ApiVpcLinkSecurityGroup'));
    expect(egress).toHaveLength(1);
    expect(egress[0][1]).toMatchObject({ FromPort: 8080, DestinationSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^ApiSecurityGroup/), 'GroupId'] } });
  });

  test('throttling and access logs with retention', () => {
    const { template } = build(() => FrontDoor.httpApiCloudMap({
      throttlingRateLimit: 50,
      throttlingBurstLimit: 80,
      accessLogRetention: logs.RetentionDays.TWO_WEEKS,
    }));
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 80 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiAccessLogs'), 'Arn'] }, Format: Match.stringLikeRegexp('requestId') },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
  });

  test('default throttling is 100 requests per second, bursts of 200', () => {
    const { template } = build(() => FrontDoor.httpApiCloudMap());
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 } });
  });

  test('custom domain, CORS and JWT authorizer', () => {
    const { service, stack, template } = build((certificate) => FrontDoor.httpApiCloudMap({
      domain: { domainName: 'api.example.com', certificate },
      cors: { allowOrigins: ['https://example.com'], allowMethods: [apigwv2.CorsHttpMethod.GET] },
      jwtAuthorizer: { issuer: 'https://issuer.example.com', audience: ['api'] },
    }));
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'api.example.com', DomainNameConfigurations: [Match.objectLike({ CertificateArn: CERT_ARN })] });
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { DomainName: { Ref: Match.stringLikeRegexp('ApiDomain') } });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: { AllowOrigins: ['https://example.com'], AllowMethods: ['GET'] } });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['api'] },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', AuthorizationType: 'JWT' });
    expect(stack.resolve(service.url)).toBe('https://api.example.com');
  });

  test('rejects bad throttling and an authorizer without audience', () => {
    expect(() => build(() => FrontDoor.httpApiCloudMap({ throttlingBurstLimit: 0 }))).toThrow('`frontDoor.throttlingBurstLimit` must be an integer between 1 and 5000, got: 0');
    expect(() => build(() => FrontDoor.httpApiCloudMap({ jwtAuthorizer: { issuer: 'https://i', audience: [] } }))).toThrow('`frontDoor.jwtAuthorizer.audience` is required');
    expect(() => build(() => FrontDoor.httpApiCloudMap({ disableExecuteApiEndpoint: true }))).toThrow('`frontDoor.domain` is required when `disableExecuteApiEndpoint` is true');
  });
});

describe('HTTP API + VPC link + internal ALB', () => {
  test('an internal ALB that admits only the VPC link, with health checks and request scaling', () => {
    const { service, template } = build(() => FrontDoor.httpApiInternalAlb(), { healthCheckPath: '/health' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' }]),
      Subnets: [{ Ref: Match.stringLikeRegexp('Vpcisolated') }, { Ref: Match.stringLikeRegexp('Vpcisolated') }],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 80,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiLoadBalancerSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiVpcLinkSecurityGroup'), 'GroupId'] },
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'ip', HealthCheckPath: '/health', Port: 8080 });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { ConnectionType: 'VPC_LINK', IntegrationUri: { Ref: Match.stringLikeRegexp('ApiLoadBalancerHttp') } });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }), TargetValue: 1000 }),
    });
    template.hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 60 });
    // no Cloud Map without split modules
    template.resourceCountIs('AWS::ServiceDiscovery::PrivateDnsNamespace', 0);
    expect(service.loadBalancer).toBeDefined();
    expect(service.targetGroups).toHaveLength(1);
  });

  test('an HTTPS listener on the ALB with a server name for API Gateway', () => {
    const { template } = build((certificate) => FrontDoor.httpApiInternalAlb({ albCertificate: certificate, albServerName: 'alb.example.com' }));
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { TlsConfig: { ServerNameToVerify: 'alb.example.com' } });
  });

  test('in production, the API domain\'s certificate encrypts the hop to the internal ALB', () => {
    // GIVEN a production service whose HTTP API has a custom domain, WHEN no albCertificate is given
    const { template } = build((certificate) => FrontDoor.httpApiInternalAlb({ domain: { domainName: 'api.example.com', certificate } }), { profile: Profile.COST_CONSCIOUS_PRODUCTION });
    // THEN the ALB listens on HTTPS with that certificate and API Gateway verifies the domain name
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS', Certificates: [{ CertificateArn: CERT_ARN }] });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { TlsConfig: { ServerNameToVerify: 'api.example.com' } });
  });

  test('in production without a domain, the plain HTTP hop is a synth warning; development stays quiet', () => {
    const prod = build(() => FrontDoor.httpApiInternalAlb(), { profile: Profile.COST_CONSCIOUS_PRODUCTION });
    Annotations.fromStack(prod.stack).hasWarning('/S/Api', Match.stringLikeRegexp('plain HTTP inside the VPC'));
    const dev = build(() => FrontDoor.httpApiInternalAlb(), { profile: Profile.DEVELOPMENT });
    Annotations.fromStack(dev.stack).hasNoWarning('/S/Api', Match.stringLikeRegexp('plain HTTP inside the VPC'));
    dev.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
  });

  test('rejects a certificate without server name', () => {
    expect(() => build((certificate) => FrontDoor.httpApiInternalAlb({ albCertificate: certificate }))).toThrow('`frontDoor.albServerName` is required with `albCertificate`');
  });
});

describe('public ALB', () => {
  test('HTTPS with the certificate, HTTP redirected, invalid headers dropped, tasks private', () => {
    const { service, stack, template } = build((certificate) => FrontDoor.publicAlb({ certificate, domainName: 'app.example.com' }), {}, true);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
    });
    for (const attribute of [
      { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      { Key: 'deletion_protection.enabled', Value: 'true' },
      { Key: 'access_logs.s3.enabled', Value: 'true' },
    ]) {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { LoadBalancerAttributes: Match.arrayWith([attribute]) });
    }
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443, Protocol: 'HTTPS', Certificates: [{ CertificateArn: CERT_ARN }], SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80, DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
    template.hasResourceProperties('AWS::ECS::Service', { NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) } });
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    expect(stack.resolve(service.url)).toBe('https://app.example.com');
  });

  test('a WAF web ACL, narrowed CIDRs, and a bucket of your own for access logs', () => {
    const { stack, vpc } = stackWithVpc({ nat: true });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
    const bucket = s3.Bucket.fromBucketName(stack, 'Logs', 'my-logs');
    new ModularMonolithService(stack, 'Api', {
      vpc,
      image: ServiceImage.fromRegistry(IMAGE),
      accessLogsBucket: bucket,
      frontDoor: FrontDoor.publicAlb({ certificate, webAclArn: 'arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/x/y', allowedCidrs: ['10.1.0.0/16'], idleTimeout: Duration.seconds(30) }),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: 'arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/x/y' });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: '10.1.0.0/16', FromPort: 443 })]) });
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.bucket', Value: 'my-logs' }]),
    });
  });

  test('development: no access logs, no deletion protection', () => {
    const { template } = build((certificate) => FrontDoor.publicAlb({ certificate }), { profile: Profile.DEVELOPMENT }, true);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'false' }]),
    });
  });

  test('refuses a public ALB without a certificate', () => {
    expect(() => build(() => FrontDoor.publicAlb({} as PublicAlbFrontDoorOptions), {}, true)).toThrow('`frontDoor.certificate` is required for FrontDoor.publicAlb()');
  });

  test('refuses a public ALB without NAT egress', () => {
    expect(() => build((certificate) => FrontDoor.publicAlb({ certificate }))).toThrow('FrontDoor.publicAlb() runs tasks in private subnets and needs NAT egress');
  });
});

describe('front doors at their defaults', () => {
  test.each([['cloud map'], ['internal alb'], ['public alb']])('%s is compliant', (door) => {
    const { stack } = build((certificate) => door === 'cloud map' ? FrontDoor.httpApiCloudMap()
      : door === 'internal alb' ? FrontDoor.httpApiInternalAlb() : FrontDoor.publicAlb({ certificate }), {}, door === 'public alb');
    expectCompliant(stack);
  });

  test('an env-agnostic stack keeps access logs off with a warning', () => {
    const stack = new Stack(new App(), 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    new ModularMonolithService(stack, 'Api', { vpc, image: ServiceImage.fromRegistry(IMAGE), frontDoor: FrontDoor.httpApiInternalAlb() });
    Annotations.fromStack(stack).hasWarning('/S/Api', Match.stringLikeRegexp('access logs need a stack with an explicit region'));
  });
});

describe('custom domains get their DNS record with a hosted zone', () => {
  function zoneIn(stack: Stack): route53.IHostedZone {
    return route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123456ABCDEFG', zoneName: 'example.com' });
  }

  test('an HTTP API custom domain gets an A alias to the API\'s regional domain name', () => {
    // GIVEN
    const { stack, vpc } = stackWithVpc();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
    // WHEN
    const service = new ModularMonolithService(stack, 'Api', {
      vpc,
      image: ServiceImage.fromRegistry(IMAGE),
      frontDoor: FrontDoor.httpApiCloudMap({ domain: { domainName: 'api.example.com', certificate, hostedZone: zoneIn(stack) } }),
    });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.example.com.',
      Type: 'A',
      HostedZoneId: 'Z123456ABCDEFG',
      AliasTarget: {
        DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiDomain'), 'RegionalDomainName'] },
        HostedZoneId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiDomain'), 'RegionalHostedZoneId'] },
      },
    });
    expect(service.aliasRecord).toBeDefined();
    expectCompliant(stack);
  });

  test('the internal ALB door\'s API domain gets its record too', () => {
    const { stack, vpc } = stackWithVpc();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
    new ModularMonolithService(stack, 'Api', {
      vpc,
      image: ServiceImage.fromRegistry(IMAGE),
      frontDoor: FrontDoor.httpApiInternalAlb({ domain: { domainName: 'api.example.com', certificate, hostedZone: zoneIn(stack) } }),
    });
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::Route53::RecordSet', { Name: 'api.example.com.', Type: 'A' }, 1);
  });

  test('a public ALB with a domain name gets an A alias to the load balancer', () => {
    // GIVEN
    const { stack, vpc } = stackWithVpc({ nat: true });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
    // WHEN
    const service = new ModularMonolithService(stack, 'Api', {
      vpc,
      image: ServiceImage.fromRegistry(IMAGE),
      frontDoor: FrontDoor.publicAlb({ certificate, domainName: 'app.example.com', hostedZone: zoneIn(stack) }),
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'app.example.com.',
      Type: 'A',
      AliasTarget: Match.objectLike({ DNSName: { 'Fn::Join': ['', ['dualstack.', { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiLoadBalancer'), 'DNSName'] }]] } }),
    });
    expect(stack.resolve(service.url)).toBe('https://app.example.com');
    expectCompliant(stack);
  });

  test('no hosted zone, no record', () => {
    const { service, template } = build((certificate) => FrontDoor.httpApiCloudMap({ domain: { domainName: 'api.example.com', certificate } }));
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(service.aliasRecord).toBeUndefined();
  });

  test('refuses a public ALB hosted zone without a domain name', () => {
    expect(() => build((certificate) => FrontDoor.publicAlb({ certificate, hostedZone: route53.HostedZone.fromHostedZoneAttributes(new Stack(), 'Z', { hostedZoneId: 'Z1', zoneName: 'example.com' }) }), {}, true))
      .toThrow('`frontDoor.domainName` is required with `hostedZone` (the name of the alias record), got: undefined');
  });

  test('refuses a domain name outside the hosted zone', () => {
    expect(() => build((certificate) => FrontDoor.httpApiCloudMap({
      domain: { domainName: 'api.example.org', certificate, hostedZone: route53.HostedZone.fromHostedZoneAttributes(new Stack(), 'Z', { hostedZoneId: 'Z1', zoneName: 'example.com' }) },
    }))).toThrow("`frontDoor.domain.domainName` must be inside the hosted zone 'example.com', got: 'api.example.org'");
  });
});

describe('front door values AWS would refuse or misread', () => {
  const usEast1Cert = 'arn:aws:acm:us-east-1:111111111111:certificate/abc';

  test('a domain name with a scheme or a path', () => {
    expect(() => build((certificate) => FrontDoor.httpApiCloudMap({ domain: { domainName: 'https://api.example.com', certificate } })))
      .toThrow("`frontDoor.domain.domainName` must be a host name without scheme or path, e.g. 'api.example.com', got: 'https://api.example.com'");
    expect(() => build((certificate) => FrontDoor.publicAlb({ certificate, domainName: 'app.example.com/v1' }), {}, true))
      .toThrow("`frontDoor.domainName` must be a host name without scheme or path, e.g. 'api.example.com', got: 'app.example.com/v1'");
    expect(() => build((certificate) => FrontDoor.httpApiInternalAlb({ albCertificate: certificate, albServerName: 'https://alb.example.com' })))
      .toThrow("`frontDoor.albServerName` must be a host name without scheme or path, e.g. 'internal.example.com', got: 'https://alb.example.com'");
  });

  test('a certificate from another region than the stack\'s', () => {
    expect(() => build((_c) => FrontDoor.httpApiCloudMap({ domain: { domainName: 'api.example.com', certificate: acm.Certificate.fromCertificateArn(new Stack(), 'C', usEast1Cert) } })))
      .toThrow(`\`frontDoor.domain.certificate\` must be an ACM certificate in eu-west-1 (a regional API Gateway domain only uses certificates from its own region), got: '${usEast1Cert}'`);
    expect(() => build(() => FrontDoor.publicAlb({ certificate: acm.Certificate.fromCertificateArn(new Stack(), 'C', usEast1Cert) }), {}, true))
      .toThrow(`\`frontDoor.certificate\` must be an ACM certificate in eu-west-1 (a load balancer only uses certificates from its own region), got: '${usEast1Cert}'`);
    expect(() => build(() => FrontDoor.httpApiInternalAlb({ albCertificate: acm.Certificate.fromCertificateArn(new Stack(), 'C', usEast1Cert), albServerName: 'alb.example.com' })))
      .toThrow(`\`frontDoor.albCertificate\` must be an ACM certificate in eu-west-1 (a load balancer only uses certificates from its own region), got: '${usEast1Cert}'`);
  });

  test('a JWT issuer that is not an https URL', () => {
    expect(() => build(() => FrontDoor.httpApiCloudMap({ jwtAuthorizer: { issuer: 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc', audience: ['api'] } })))
      .toThrow("`frontDoor.jwtAuthorizer.issuer` must be an https URL, e.g. 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc', got: 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc'");
    expect(() => build(() => FrontDoor.httpApiCloudMap({ jwtAuthorizer: { issuer: 'http://issuer.example.com', audience: ['api'] } })))
      .toThrow('`frontDoor.jwtAuthorizer.issuer` must be an https URL');
  });

  test('an ALB idle timeout beyond AWS\'s 1 to 4000 seconds', () => {
    expect(() => build((certificate) => FrontDoor.publicAlb({ certificate, idleTimeout: Duration.hours(2) }), {}, true))
      .toThrow('`frontDoor.idleTimeout (seconds)` must be an integer between 1 and 4000, got: 7200');
    expect(() => build((certificate) => FrontDoor.publicAlb({ certificate, idleTimeout: Duration.millis(500) }), {}, true))
      .toThrow('`frontDoor.idleTimeout (seconds)` must be an integer between 1 and 4000, got: 0.5');
    expect(() => build((certificate) => FrontDoor.publicAlb({ certificate, idleTimeout: Duration.seconds(4000) }), {}, true)).not.toThrow();
  });
});
