import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DrDataReplication } from '../../src/dr';
import { registerReplica } from '../../src/private/site-replicas';
import { CostConsciousStaticSite } from '../../src/static-site';
import { fixture, Fixture } from '../dr/fakes';
import { expectCompliant } from '../helpers/compliance';

/*
 * A site whose bucket the DR constructs replicate serves its read-only behaviors from an origin
 * group: its own bucket first, the replica in the DR region when S3 in the primary region fails.
 */

interface Origin { Id: string; DomainName: unknown; OriginAccessControlId?: unknown; S3OriginConfig?: unknown }
interface Behavior { PathPattern?: string; TargetOriginId: string; AllowedMethods: string[] }
interface OriginGroup {
  Id: string;
  FailoverCriteria: { StatusCodes: { Items: number[]; Quantity: number } };
  Members: { Items: Array<{ OriginId: string }>; Quantity: number };
}
interface DistributionConfig {
  Origins: Origin[];
  OriginGroups?: { Items: OriginGroup[]; Quantity: number };
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: Behavior[];
}

function distributionConfig(f: Fixture): DistributionConfig {
  const distributions = Template.fromStack(f.primary).findResources('AWS::CloudFront::Distribution');
  return (Object.values(distributions)[0] as { Properties: { DistributionConfig: DistributionConfig } }).Properties.DistributionConfig;
}

function siteWithReplica(): { f: Fixture; site: CostConsciousStaticSite; data: DrDataReplication } {
  const f = fixture();
  const site = new CostConsciousStaticSite(f.primary, 'Site', { apiDomainName: 'api.example.com' });
  const data = new DrDataReplication(f.drStack, 'Data', { database: f.database, bucketsToReplicate: [site.bucket, f.bucket] });
  return { f, site, data };
}

describe('CostConsciousStaticSite with its bucket replicated to a DR region', () => {
  test('an origin group of the site bucket and the replica, failing over on 500, 502, 503 and 504', () => {
    // GIVEN / WHEN
    const { f } = siteWithReplica();
    // THEN
    const config = distributionConfig(f);
    const [bucketOrigin, , replicaOrigin] = config.Origins;
    expect(config.Origins).toHaveLength(3);
    expect(replicaOrigin).toEqual({
      Id: replicaOrigin.Id,
      // the replica's name and region as literals: no reference from this stack to the DR stack
      DomainName: { 'Fn::Join': ['', ['primary-site-8bcb48d4-111111111111-eu-central-1.s3.eu-central-1.', { Ref: 'AWS::URLSuffix' }]] },
      OriginAccessControlId: { 'Fn::GetAtt': [expect.stringMatching(/^SiteDistributionFailoverOriginS3OriginAccessControl/), 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    expect(config.OriginGroups?.Quantity).toBe(1);
    const group = config.OriginGroups!.Items[0];
    expect(group.FailoverCriteria).toEqual({ StatusCodes: { Items: [500, 502, 503, 504], Quantity: 4 } });
    expect(group.Members).toEqual({ Items: [{ OriginId: bucketOrigin.Id }, { OriginId: replicaOrigin.Id }], Quantity: 2 });
    Template.fromStack(f.primary).hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' }),
    });
  });

  test('the default and hashed-asset behaviors target the group; the /api/* behavior keeps the API origin', () => {
    // GIVEN / WHEN
    const { f } = siteWithReplica();
    // THEN
    const config = distributionConfig(f);
    const groupId = config.OriginGroups!.Items[0].Id;
    expect(config.DefaultCacheBehavior.TargetOriginId).toBe(groupId);
    const byPath = Object.fromEntries(config.CacheBehaviors.map((b) => [b.PathPattern, b]));
    expect(byPath['/assets/*'].TargetOriginId).toBe(groupId);
    const api = byPath['/api/*'];
    expect(api.TargetOriginId).not.toBe(groupId);
    expect(config.Origins.find((o) => o.Id === api.TargetOriginId)?.DomainName).toBe('api.example.com');
    expect(api.AllowedMethods).toContain('POST');
  });

  test('the replica lets only this distribution read it, through CloudFront', () => {
    // GIVEN / WHEN
    const { f } = siteWithReplica();
    // THEN
    const sourceArn = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::111111111111:distribution/', {
        'Fn::GetAtt': [Match.stringLikeRegexp('^ExportsReader'), Match.stringLikeRegexp('RefSiteDistribution')],
      }]],
    };
    Template.fromStack(f.drStack).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CloudFrontFailoverOriginRead',
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': sourceArn } },
          }),
          Match.objectLike({ Sid: 'CloudFrontFailoverOriginList', Action: 's3:ListBucket', Condition: { StringEquals: { 'AWS:SourceArn': sourceArn } } }),
        ]),
      },
    });
  });

  test('both stacks stay compliant and the site stack does not depend on the DR stack', () => {
    // GIVEN / WHEN
    const { f, site } = siteWithReplica();
    // THEN
    const assembly = f.app.synth();
    expect(assembly.getStackByName('Primary').dependencies.map((d) => d.id)).not.toContain('Dr');
    expect(assembly.getStackByName('Dr').dependencies.map((d) => d.id)).toContain('Primary');
    // the site (the primary stack's fakes are not compliant themselves) and the whole DR stack
    expectCompliant(site);
    expectCompliant(f.drStack);
  });

  test('a site created after the replica of its bucket has no failover origin (the replica was not named for it)', () => {
    // GIVEN a bucket replicated before the site that serves it exists
    const f = fixture();
    const bucket = new s3.Bucket(f.primary, 'Build', { versioned: true, enforceSSL: true });
    new DrDataReplication(f.drStack, 'Data', { database: f.database, bucketsToReplicate: [bucket] });
    // WHEN
    new CostConsciousStaticSite(f.primary, 'Site', { bucket });
    // THEN
    expect(distributionConfig(f).OriginGroups).toBeUndefined();
  });

  test('a bucket no site serves keeps its generated replica name and gets no CloudFront grant', () => {
    // GIVEN / WHEN
    const { f, data } = siteWithReplica();
    // THEN
    const uploads = Template.fromStack(f.drStack).findResources('AWS::S3::Bucket');
    const names = Object.values(uploads).map((b) => (b as { Properties: { BucketName?: string } }).Properties.BucketName);
    expect(names.filter((n) => n !== undefined)).toEqual(['primary-site-8bcb48d4-111111111111-eu-central-1']);
    expect(data.replicaBuckets).toHaveLength(2);
  });

  test('adding the same replica again changes nothing', () => {
    // GIVEN
    const { f, site, data } = siteWithReplica();
    // WHEN
    site.addFailoverOrigin(data.replicaBuckets[0]);
    // THEN
    expect(distributionConfig(f).Origins).toHaveLength(3);
  });

  describe('refuses', () => {
    test('a bucket that is not a replica made by the DR constructs', () => {
      const { f, site } = siteWithReplica();
      const other = new s3.Bucket(f.drStack, 'Other');
      expect(() => site.addFailoverOrigin(other)).toThrow(
        "[Primary/Site] `replica` must be a replica of the site's bucket made by `DrDataReplication` or `PilotLightDr` (`bucketsToReplicate`), got: 'Dr/Other'");
    });

    test('the replica of another bucket', () => {
      const f = fixture();
      const site = new CostConsciousStaticSite(f.primary, 'Site');
      new CostConsciousStaticSite(f.primary, 'Other', { bucket: f.bucket });
      const data = new DrDataReplication(f.drStack, 'Data', { database: f.database, bucketsToReplicate: [site.bucket, f.bucket] });
      expect(() => site.addFailoverOrigin(data.replicaBuckets[1])).toThrow(
        "[Primary/Site] `replica` must be a replica of this site's bucket Primary/Site/Bucket, got: 'a replica of Primary/Uploads'");
    });

    test('a replica in the site region', () => {
      const f = fixture();
      const site = new CostConsciousStaticSite(f.primary, 'Site');
      const copy = new s3.Bucket(f.primary, 'Copy');
      // as the DR constructs hand a replica to the sites of its source
      expect(() => registerReplica(copy, { source: site.bucket, bucketName: 'copy', region: 'eu-west-1' })).toThrow("[Primary/Site] `replica` must be in a region other than the site's 'eu-west-1', got: 'eu-west-1'");
    });

    test('a second replica', () => {
      const { f, site } = siteWithReplica();
      const second = new s3.Bucket(f.drStack, 'Second');
      expect(() => registerReplica(second, { source: site.bucket, bucketName: 'second', region: 'us-east-1' })).toThrow(
        "[Primary/Site] `replica` must be the site's only failover origin (it already fails over to Dr/Data/Bucket0/Replica), got: 'Dr/Second'");
    });
  });
});
