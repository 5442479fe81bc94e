/**
 * The AWS Control Tower proactive controls our templates fail, each on purpose or for a reason
 * outside our reach. README's "AWS Control Tower proactive controls" table lists the same ids
 * (a test checks), and the control-tower test fails on a failed control that is not listed here.
 */
export interface ControlException {
  /** The control id, as Control Tower names it. */
  readonly control: string;
  /**
   * `trade-off`: we fail it deliberately; `false-positive`: the rule misreads a compliant
   * template; `open`: a known weakness not fixed yet.
   */
  readonly kind: 'trade-off' | 'false-positive' | 'open';
  /** Which resources fail it, and when. */
  readonly where: string;
  /** Why. */
  readonly reason: string;
  /** What passing it would cost (or `-`). */
  readonly cost: string;
  /** The prop (or profile) that turns it the other way, or `-`. */
  readonly prop: string;
}

export const CONTROL_TOWER_EXCEPTIONS: ControlException[] = [
  { control: 'CT.APIGATEWAY.PR.5', kind: 'trade-off', where: 'HTTP API routes of a `ModularMonolithService` without `edgeOnly` or `jwtAuthorizer`, and of its standby (`PilotLightDr`), which copies the primary\'s front door', reason: 'The application authenticates its own requests; an authorizer is asked for, not imposed. With `edgeOnly` every route has one, the health route included (it takes the value as a query parameter, which a Route 53 health check can carry); the reference app\'s production and UAT use it.', cost: '- (the edge-only authorizer\'s answer is cached an hour per value)', prop: '`edgeOnly: EdgeOnlyAccess.stackSecret()` or `jwtAuthorizer` (`FrontDoor.httpApiCloudMap`, `httpApiInternalAlb`)' },
  { control: 'CT.CLOUDFRONT.PR.4', kind: 'trade-off', where: 'site distribution whose bucket has no DR replica', reason: 'One S3 origin. When `PilotLightDr` replicates the site\'s bucket, the default and `/assets/*` behaviours fail over to the replica through an origin group (the reference app\'s production does); `/api/*` follows DNS failover instead, as CloudFront refuses origin groups on behaviours that allow POST.', cost: 'the replica\'s storage (the build, a few MB) and its replication', prop: '`PilotLightDr` `bucketsToReplicate: [site.bucket]`' },
  { control: 'CT.CLOUDFRONT.PR.5', kind: 'trade-off', where: 'site distribution, development profile', reason: 'Access logs are off in development.', cost: 'log storage', prop: '`accessLogs: true` or a production profile' },
  { control: 'CT.CLOUDFRONT.PR.6', kind: 'trade-off', where: 'site distribution without `domainName`', reason: 'The distribution answers on its `*.cloudfront.net` name with CloudFront\'s certificate. With `domainName` it carries its own ACM certificate as a literal ARN (from a stack outside us-east-1, a dynamic reference to the parameter its us-east-1 companion writes), which passes.', cost: '- (a domain of your own)', prop: '`domainName` + `hostedZone`, or `certificate`' },
  { control: 'CT.CLOUDFRONT.PR.7', kind: 'trade-off', where: 'site distribution without `domainName`', reason: 'As CT.CLOUDFRONT.PR.6: with a certificate of its own the distribution serves HTTPS by SNI only.', cost: '- (a domain of your own)', prop: '`domainName` + `hostedZone`, or `certificate`' },
  { control: 'CT.CLOUDFRONT.PR.9', kind: 'false-positive', where: 'site distribution without a custom domain', reason: 'The default `*.cloudfront.net` certificate cannot carry a minimum protocol version; with `domainName` the site sets TLSv1.2_2021.', cost: '-', prop: '`domainName` + `hostedZone`' },
  { control: 'CT.CODEBUILD.PR.4', kind: 'trade-off', where: 'image builds: the release pipeline\'s `docker build` and the migration runner\'s (Fargate task mode)', reason: 'Building a container image with docker in CodeBuild needs privileged mode; the builds run outside the VPC, hold no database credentials, and may push only to their own repository.', cost: '-', prop: '`MigrationEgressMode.NAT` or `VPC_ENDPOINTS` (no image build) for migrations' },
  { control: 'CT.CLOUDWATCH.PR.1', kind: 'trade-off', where: 'the release\'s rollback alarm without `rollbackAlarmActions` (the reference app\'s development); SLO window alarms of an `ObservabilityStack` given a `topic` of your own without `topicKey`; the site\'s 5xx alarm in the us-east-1 companion', reason: 'Window alarms and the rollback alarm must not page: an `ObservabilityStack` sends its SLO window alarms to its signal topic (non-paging, nobody subscribed by default), and the reference app sends production\'s and UAT\'s rollback alarm there too. An alarm in us-east-1 (where CloudFront publishes its metrics) cannot publish to a topic in another region: an EventBridge rule forwards its state changes to the alarm topic, which the rule cannot see.', cost: '-', prop: '`rollbackAlarmActions`; `topicKey` with a `topic` of your own' },
  { control: 'CT.CLOUDWATCH.PR.2', kind: 'trade-off', where: 'every log group outside the highly available profile and the reference app\'s production, but `SecurityBaseline`\'s trail group (kept a year)', reason: 'Logs are kept a week (development) or a month (cost-conscious production); the highly available profile keeps them a year.', cost: 'log storage, 0.03 USD per GB-month', prop: '`Profile.withOverrides({ logRetention })`, `logRetention` props' },
  { control: 'CT.CLOUDWATCH.PR.3', kind: 'trade-off', where: 'every log group outside the highly available profile and the reference app\'s production (`encryptLogs`), but the DR stack\'s (`PilotLightDr` encrypts those with the key its replica already pays for)', reason: 'CloudWatch Logs encrypts every group at rest; a customer managed key adds a fixed monthly cost.', cost: '1 USD a month per stack (one key for all its log groups, made only where a group needs it)', prop: '`Profile.withOverrides({ encryptLogs: true })` (on in the highly available profile)' },
  { control: 'CT.EC2.PR.8', kind: 'false-positive', where: 'NAT instance (`Egress.natInstance()`)', reason: 'A NAT instance needs its public IP: that is its job.', cost: '-', prop: '`Egress.natGateway()`' },
  { control: 'CT.EC2.PR.10', kind: 'trade-off', where: 'NAT instance launch template', reason: 'Five-minute basic metrics are enough for a NAT instance; detailed monitoring bills one-minute metrics.', cost: 'about 2 USD a month (CloudWatch metrics)', prop: '`Egress.natGateway()`' },
  { control: 'CT.EC2.PR.13', kind: 'trade-off', where: 'NAT instance', reason: 'As CT.EC2.PR.10.', cost: 'about 2 USD a month (CloudWatch metrics)', prop: '`Egress.natGateway()`' },
  { control: 'CT.EC2.PR.19', kind: 'trade-off', where: 'NAT instance (t4g.nano)', reason: 'The cheapest Graviton instance; it forwards TLS traffic it cannot read.', cost: 'a larger instance type', prop: '`Egress.natInstance(instanceType)`' },
  { control: 'CT.ECS.PR.2', kind: 'trade-off', where: 'ECS clusters (service, DR standby, migration runner) outside the highly available profile and the reference app\'s production', reason: 'Container Insights bills per metric; basic ECS metrics feed the alarms.', cost: 'CloudWatch custom metrics per task and service (unconfirmed: no price list row)', prop: '`Profile.withOverrides({ containerInsights: true })`' },
  { control: 'CT.ECS.PR.6', kind: 'trade-off', where: 'service task definition without `readonlyRootFilesystem` (the reference app sets it), and its DR copy (`PilotLightDr` copies the primary\'s setting)', reason: 'Many application images write outside /tmp; a read-only root file system (with a task-local /tmp) is offered, not imposed.', cost: '-', prop: '`readonlyRootFilesystem: true`' },
  { control: 'CT.ECS.PR.9', kind: 'trade-off', where: 'Fargate service in a network without egress', reason: 'Without NAT or interface endpoints, tasks reach ECR and Secrets Manager through a public IP in a public subnet (their security group admits only the front door).', cost: 'a NAT instance about 6.70 USD a month with its IPv4, or an interface endpoint per service', prop: '`Network` `egress` / `interfaceEndpoints`' },
  { control: 'CT.GUARDDUTY.PR.1', kind: 'false-positive', where: '`SecurityBaseline` detector', reason: 'S3 Protection is on (`S3_DATA_EVENTS` in the detector\'s `Features`); the rule reads only the older `DataSources.S3Logs`, and GuardDuty refuses `DataSources` and `Features` in one detector. RDS, Lambda and Runtime Monitoring exist only as features.', cost: '-', prop: '-' },
  { control: 'CT.LAMBDA.PR.3', kind: 'false-positive', where: 'aws-cdk-lib helper Lambdas (VPC default security group, auto-delete, cross-region references, BucketDeployment, AwsCustomResource, e.g. `SecurityBaseline`\'s account-wide S3 Block Public Access, which CloudFormation has no resource type for); the DR readiness check; the edge-only authorizer', reason: 'Deploy-time handlers aws-cdk-lib creates once per stack; they call only AWS APIs and take no VPC settings. The DR readiness check (`PilotLightDr`) also calls only AWS APIs: inside the VPC it would need a NAT gateway or interface endpoints. The edge-only authorizer compares a header with a value and calls nothing: in the VPC it would only add cold-start time.', cost: '-', prop: '-' },
  { control: 'CT.RDS.PR.1', kind: 'trade-off', where: 'RDS instance outside the highly available profile; the DR replica (`PilotLightDr`) always', reason: 'A standby doubles the instance cost; cost-conscious production recovers from backups. The pilot-light replica runs in one AZ while idle and can be made Multi-AZ once promoted.', cost: 'the instance price again', prop: '`Profile.HIGHLY_AVAILABLE_PRODUCTION` or `withOverrides({ multiAz: true })`' },
  { control: 'CT.RDS.PR.2', kind: 'trade-off', where: 'RDS instance and Aurora instances outside the highly available profile and the reference app\'s production', reason: 'Enhanced Monitoring bills its OS metrics as CloudWatch Logs ingestion; Performance Insights and basic metrics cover a small database. The DR replica follows its source.', cost: 'CloudWatch Logs ingestion of the OS metrics (unconfirmed: no price list row)', prop: '`monitoringInterval`, or `Profile.withOverrides({ enhancedMonitoring: true })` (on in the highly available profile)' },
  { control: 'CT.RDS.PR.3', kind: 'trade-off', where: 'Aurora cluster, development profile', reason: 'Development stacks are torn down.', cost: '-', prop: 'a production profile' },
  { control: 'CT.RDS.PR.8', kind: 'trade-off', where: 'RDS instance, development profile', reason: 'Development keeps one day of backups at most.', cost: '-', prop: 'a production profile' },
  { control: 'CT.RDS.PR.13', kind: 'trade-off', where: 'RDS instance, development profile', reason: 'Development stacks are torn down.', cost: '-', prop: 'a production profile' },
  { control: 'CT.RDS.PR.20', kind: 'trade-off', where: 'RDS instance on port 5432 (the default), and its replicas', reason: 'The database sits in isolated subnets behind a security group that admits only named peers; another port hides nothing from a scan inside the VPC and breaks tools that assume the default. Every client of ours reads the port from the database.', cost: '-', prop: '`port` when the database is created (the reference app\'s production uses 5433)' },
  { control: 'CT.RDS.PR.24', kind: 'false-positive', where: 'DR read replica', reason: 'A cross-region replica takes its encryption from the source and its KmsKeyId; StorageEncrypted on a replica is itself a CloudFormation error.', cost: '-', prop: '-' },
  { control: 'CT.RDS.PR.30', kind: 'trade-off', where: 'RDS instance without a customer managed key', reason: 'Encrypted with the AWS managed RDS key; a customer managed key adds a fixed monthly cost and can only be chosen when the database is created (changing it replaces the database, so no profile switches it).', cost: '1 USD a month', prop: '`customerManagedKey` or `encryptionKey` when the database is created (the reference app\'s production has one)' },
  { control: 'CT.S3.PR.2', kind: 'trade-off', where: 'the site bucket, DR replicas, the migration pipeline\'s artifact bucket and `SecurityBaseline`\'s trail bucket in development', reason: 'Development logs no bucket access, so that its idle storage stays at zero. Every other bucket logs its access, and log buckets log their own under `self/`: AWS advises against that for the "logs about logs" it makes; we keep a record of who read or deleted logs, and the lifecycle expires the trickle.', cost: 'log storage', prop: '`accessLogs: true` or a production profile' },
  { control: 'CT.S3.PR.9', kind: 'trade-off', where: 'site buckets, the migration pipeline\'s artifact bucket and the release artifact bucket without `objectLock`', reason: 'Object Lock cannot be turned off once on, and turning it on for an existing bucket may replace it (CloudFormation long listed `ObjectLockEnabled` as immutable; not tried here), so these buckets ask for it. Without a default retention it blocks nothing: deploys, lifecycle expiry, replication and stack deletion work. The trail bucket, DR replicas and the access-log buckets of `SecurityBaseline`, the DR stack and the artifact buckets always have it (AWS\'s S3 guide says both that a bucket with Object Lock cannot receive server access logs and that it must only have no default retention; these rely on the second reading, not tried); the site\'s log bucket with `objectLock`. The reference app\'s production site and shared artifacts ask for it.', cost: '-', prop: '`objectLock: true` (`CostConsciousStaticSite`, `PrivateMigrationPipeline`, `ReleaseArtifacts`)' },
  { control: 'CT.S3.PR.10', kind: 'trade-off', where: 'site bucket without `customerManagedKey`, and its log bucket; the migration pipeline\'s artifact and log buckets without `encryptionKey`; the release artifact bucket and its log bucket', reason: 'SSE-S3 encrypts at rest; a customer managed key costs a fixed monthly fee. With `customerManagedKey` the site\'s key encrypts its bucket and its log bucket (S3 server access logging and CloudFront log delivery may use it); `SecurityBaseline`\'s access logs use its trail key, and the DR stack\'s replicas and log bucket keys of the DR region. The release artifact bucket is read by every environment\'s stack, which would each need grants on a key.', cost: '1 USD a month per key', prop: '`customerManagedKey` (site), `encryptionKey` (migration pipeline)' },
];

/**
 * The most controls each template may fail, measured: a new failure fails the test, and a fix
 * should lower the number here.
 */
export const CONTROL_TOWER_LIMITS: { [stack: string]: number } = {
  'Site-development': 11,
  'Network-development': 3,
  'Database-development': 5,
  'Service-development': 9,
  'Migrations-development': 12,
  'Observability-development': 0,
  'SecurityBaseline-development': 3,
  'Site-cost-conscious-production': 6,
  'Network-cost-conscious-production': 3,
  'Database-cost-conscious-production': 7,
  'Service-cost-conscious-production': 11,
  'Migrations-cost-conscious-production': 13,
  'Observability-cost-conscious-production': 0,
  'SecurityBaseline-cost-conscious-production': 2,
  'Site-highly-available-production': 6,
  'Network-highly-available-production': 1,
  'Database-highly-available-production': 3,
  'Service-highly-available-production': 5,
  'Migrations-highly-available-production': 9,
  'Observability-highly-available-production': 0,
  'SecurityBaseline-highly-available-production': 2,
  'OrganizationLayout': 0,
  'LeanShared': 2,
  'LeanDev': 18,
  'LeanUat': 16,
  'LeanUat-us-east-1-alarms': 2,
  'LeanProd': 5,
  'LeanProd-us-east-1': 1,
  'LeanProd-us-east-1-alarms': 2,
  'LeanRelease': 3,
  'LeanProdDr': 4,
};

/** The README table, rendered from the list above (README must contain it verbatim). */
export function renderControlTowerTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = [...CONTROL_TOWER_EXCEPTIONS]
    .sort((a, b) => a.control.localeCompare(b.control, 'en', { numeric: true }))
    .map((e) => `| ${e.control} | ${e.kind} | ${cell(e.where)} | ${cell(e.reason)} | ${cell(e.cost)} | ${cell(e.prop)} |`);
  return ['| control | kind | where | why | cost of passing | turned the other way by |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}
