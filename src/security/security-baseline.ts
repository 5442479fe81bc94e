import { Annotations, Duration } from 'aws-cdk-lib';
import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as config from 'aws-cdk-lib/aws-config';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { Profile } from '../core/profile';
import { NAG, acknowledge } from '../private/nag';
import { resolveProfile } from '../private/profile';
import { LeanStackValidationError, checkPattern, checkRange } from '../private/validate';
import { blockAccountPublicAccess } from './private/account-guards';
import { recordConfiguration } from './private/config-recording';
import { createTrailBucket, createTrailKey, grantCloudTrail } from './private/trail-storage';
import { allowLogsToUseKey } from '../private/kms';

/**
 * GuardDuty's optional protection plans. The detector itself (always on) analyses CloudTrail
 * management events, VPC flow logs and DNS logs, billed per million events and per GB analysed,
 * with a 30-day free trial per account and region. Each plan below bills on top, by use.
 */
export interface GuardDutyProtections {
  /**
   * S3 Protection: watches S3 data events for suspicious access. Billed per million S3 data
   * events analysed; a quiet account pays cents, so every profile turns it on.
   *
   * @default true
   */
  readonly s3DataEvents?: boolean;
  /**
   * RDS Protection: watches Aurora and RDS login activity. Billed per vCPU-hour of the monitored
   * database instances (Aurora Serverless v2 per ACU-hour).
   *
   * @default - per profile (on in production profiles, off in development)
   */
  readonly rdsLoginEvents?: boolean;
  /**
   * Lambda Protection: watches the network activity of Lambda functions. Billed per GB of
   * Lambda network activity logs analysed.
   *
   * @default - per profile (on in production profiles, off in development)
   */
  readonly lambdaNetworkLogs?: boolean;
  /**
   * EKS Protection: analyses EKS audit logs. Billed per million audit log events; useful only
   * with EKS clusters.
   *
   * @default false
   */
  readonly eksAuditLogs?: boolean;
  /**
   * Runtime Monitoring with the GuardDuty agent managed for ECS on Fargate, EKS and EC2. Billed
   * per vCPU-hour of every monitored task, pod or instance, which grows with the fleet.
   *
   * @default false
   */
  readonly runtimeMonitoring?: boolean;
  /**
   * Malware Protection for EC2: scans EBS volumes when a finding suggests malware. Billed per GB
   * scanned, plus the snapshots kept during a scan.
   *
   * @default false
   */
  readonly malwareProtection?: boolean;
}

/** Props for `SecurityBaseline`. */
export interface SecurityBaselineProps {
  /**
   * The deployment profile: whether the trail bucket and key are retained, how long logs are kept,
   * which paid GuardDuty protections are on, and whether the trail bucket's access is logged.
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
  /**
   * How long log files stay in the trail bucket. Audit rules often ask for years (HIPAA: 6).
   *
   * @default - the profile's `logRetention` (1 week, 1 month, 3 months)
   */
  readonly logExpiration?: Duration;
  /**
   * Lock each log file in governance mode for this long (S3 Object Lock's default retention):
   * not even an administrator can delete it early without s3:BypassGovernanceRetention. The
   * trail bucket always has Object Lock enabled (free); this sets the retention it applies.
   *
   * @default - per profile: production profiles lock each log file until it expires
   * (`logExpiration`); development locks nothing, so the stack can be destroyed
   */
  readonly objectLockRetention?: Duration;
  /**
   * The key that encrypts log files and the trail bucket.
   *
   * @default - a new customer managed key with rotation (1 USD a month)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Also send the trail to a CloudWatch Logs group (encrypted with the trail key, kept at least
   * a year) for metric filters, alarms and Logs Insights queries. Ingestion bills 0.50 USD per
   * GB of events on top of the S3 copy (a quiet account sends well under 1 GB a month), storage
   * 0.03 USD per GB-month.
   *
   * @default true
   */
  readonly cloudWatchLogs?: boolean;
  /**
   * The trail's name.
   *
   * @default - a name CloudFormation generates (`organization-trail` for an organization trail)
   */
  readonly trailName?: string;
  /**
   * The organization ID (`o-xxxx`): the trail becomes an organization trail of every member
   * account and Access Analyzer's zone of trust becomes the organization. Deploy it in the
   * management account.
   *
   * @default - an account trail and an account analyzer
   */
  readonly organizationId?: string;
  /**
   * Create a GuardDuty detector. Turn it off where your organization's GuardDuty administrator
   * already enables GuardDuty in member accounts: an account holds one detector per region.
   *
   * @default true
   */
  readonly guardDuty?: boolean;
  /**
   * GuardDuty's optional protection plans, each with its own price model.
   *
   * @default - S3 protection in every profile; RDS and Lambda protection in production profiles
   */
  readonly guardDutyProtections?: GuardDutyProtections;
  /**
   * Turn on S3 Block Public Access for the whole account. CloudFormation has no resource type for
   * it, so a custom resource calls S3 Control; the setting stays on after the stack is deleted.
   *
   * @default true
   */
  readonly accountPublicAccessBlock?: boolean;
  /**
   * Log access to the trail bucket to a separate bucket.
   *
   * @default - the profile's `accessLogs` (off in development)
   */
  readonly accessLogs?: boolean;
  /**
   * Record every resource's configuration with AWS Config, delivered to the trail bucket.
   * Billed per configuration item recorded (continuous recording) and per rule evaluation:
   * cents in a quiet account, more where resources change often.
   *
   * @default false
   */
  readonly configRecording?: boolean;
  /**
   * Enable Security Hub with its default standards. Billed per security check and per finding
   * ingested beyond a free allowance; checks run on a schedule, so it bills while idle. Its
   * checks read AWS Config, so turn on `configRecording` too.
   *
   * @default false
   */
  readonly securityHub?: boolean;
}

/**
 * The security baseline of one account (and region): a multi-region CloudTrail trail with log
 * file validation, encrypted with a customer managed key, to a versioned, TLS-only, object-locked
 * bucket that production profiles retain and lock, and to an encrypted CloudWatch Logs group; a
 * GuardDuty detector with the protections the profile (or you) choose; an IAM Access Analyzer;
 * and S3 Block Public Access for the whole account. AWS Config and Security Hub are optional and
 * off because they bill while idle. With its defaults it passes AWS Control Tower's proactive
 * controls except where AWS leaves no way (see the README's table).
 *
 * Idle cost: 1 USD a month for the key; CloudTrail's first copy of management events is free;
 * CloudWatch Logs, GuardDuty and Config bill by use.
 *
 * @example
 * import { Profile, SecurityBaseline } from 'cdk-lean-stack';
 *
 * new SecurityBaseline(this, 'Baseline', { profile: Profile.COST_CONSCIOUS_PRODUCTION });
 */
export class SecurityBaseline extends Construct {
  /** The CloudTrail trail. */
  public readonly trail: cloudtrail.Trail;
  /** The bucket that holds the trail's log files. */
  public readonly trailBucket: s3.Bucket;
  /** The bucket that holds the trail bucket's access logs, in profiles that log access. */
  public readonly accessLogBucket?: s3.Bucket;
  /** The key that encrypts the log files. */
  public readonly encryptionKey: kms.IKey;
  /** The CloudWatch Logs group the trail also writes to, when `cloudWatchLogs` is on. */
  public readonly logGroup?: logs.LogGroup;
  /** The GuardDuty detector, unless `guardDuty` is off. */
  public readonly detector?: guardduty.CfnDetector;
  /** The IAM Access Analyzer. */
  public readonly analyzer: accessanalyzer.CfnAnalyzer;
  /** The custom resource that turns on S3 Block Public Access for the account. */
  public readonly accountPublicAccessBlock?: cr.AwsCustomResource;
  /** The AWS Config recorder, when `configRecording` is on. */
  public readonly configRecorder?: config.CfnConfigurationRecorder;
  /** The Security Hub hub, when `securityHub` is on. */
  public readonly securityHub?: securityhub.CfnHub;

  constructor(scope: Construct, id: string, props: SecurityBaselineProps = {}) {
    super(scope, id);
    const profile = resolveProfile(this, props.profile);
    this.validate(props);
    const organization = props.organizationId !== undefined;
    const expiration = props.logExpiration
      ?? (profile.logRetention === logs.RetentionDays.INFINITE ? undefined : Duration.days(profile.logRetention));
    const cloudWatchLogs = props.cloudWatchLogs ?? true;

    if (props.encryptionKey) grantCloudTrail(props.encryptionKey);
    const createdKey = props.encryptionKey ? undefined : createTrailKey(this, profile.storeRemovalPolicy);
    this.encryptionKey = props.encryptionKey ?? createdKey!;
    const storage = createTrailBucket(this, {
      key: this.encryptionKey,
      createdKey,
      removalPolicy: profile.storeRemovalPolicy,
      expiration,
      objectLockRetention: props.objectLockRetention ?? (profile.production ? expiration : undefined),
      accessLogs: props.accessLogs ?? profile.accessLogs,
    });
    this.trailBucket = storage.bucket;
    this.accessLogBucket = storage.logBucket;
    if (cloudWatchLogs) {
      allowLogsToUseKey(this.encryptionKey);
      this.logGroup = new logs.LogGroup(this, 'TrailLogGroup', {
        // Audit events are what a year's retention is for (Control Tower CT.CLOUDWATCH.PR.2);
        // at 0.03 USD per GB-month a quiet account's year costs cents.
        retention: Math.max(profile.logRetention, logs.RetentionDays.ONE_YEAR) as logs.RetentionDays,
        encryptionKey: this.encryptionKey,
        removalPolicy: profile.storeRemovalPolicy,
      });
    }
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: this.trailBucket,
      encryptionKey: this.encryptionKey,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      trailName: props.trailName ?? (organization ? 'organization-trail' : undefined),
      isOrganizationTrail: organization || undefined,
      orgId: props.organizationId,
      sendToCloudWatchLogs: cloudWatchLogs,
      cloudWatchLogGroup: this.logGroup,
    });
    const logsRole = this.trail.node.tryFindChild('LogsRole');
    if (logsRole) {
      acknowledge(logsRole, { ids: [...NAG.inlinePolicy], reason: 'aws-cdk-lib\'s trail role may only write to this trail\'s log group; the policy is created and deleted with it.' });
    }
    if (!cloudWatchLogs) {
      acknowledge(this.trail, {
        ids: ['HIPAA.Security-CloudTrailCloudWatchLogsEnabled', 'NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled'],
        reason: 'The trail\'s record is the validated, encrypted copy in S3; a CloudWatch Logs copy bills ingestion per GB for every event. Set `cloudWatchLogs: true` for metric filters and alarms on API activity.',
      });
    }
    if (props.guardDuty ?? true) this.detector = this.createDetector(profile, props.guardDutyProtections ?? {});
    this.analyzer = new accessanalyzer.CfnAnalyzer(this, 'AccessAnalyzer', { type: organization ? 'ORGANIZATION' : 'ACCOUNT' });
    if (props.accountPublicAccessBlock ?? true) this.accountPublicAccessBlock = blockAccountPublicAccess(this);
    if (props.configRecording) this.configRecorder = recordConfiguration(this, this.trailBucket, this.encryptionKey).recorder;
    if (props.securityHub) {
      this.securityHub = new securityhub.CfnHub(this, 'SecurityHub', { enableDefaultStandards: true, autoEnableControls: true });
      if (!props.configRecording) {
        Annotations.of(this).addWarningV2('cdk-lean-stack:securityHubWithoutConfig',
          'Security Hub evaluates most controls from AWS Config; without `configRecording` (here or from your organization) its checks find little.');
      }
    }
  }

  private validate(props: SecurityBaselineProps): void {
    checkPattern(this, 'organizationId', props.organizationId, /^o-[a-z0-9]{10,32}$/, 'an organization ID such as o-a1b2c3d4e5');
    checkPattern(this, 'trailName', props.trailName, /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/, '3 to 128 letters, digits, periods, underscores or dashes, starting and ending with a letter or digit');
    const lockDays = props.objectLockRetention?.toDays({ integral: false });
    checkRange(this, 'objectLockRetention', lockDays, { min: 1, integer: true });
    const expiryDays = props.logExpiration?.toDays({ integral: false });
    checkRange(this, 'logExpiration', expiryDays, { min: 1, integer: true });
    if (lockDays !== undefined && expiryDays !== undefined && lockDays > expiryDays) {
      throw new LeanStackValidationError(this, `\`objectLockRetention\` must not be longer than \`logExpiration\` (${expiryDays} days), got: ${lockDays} days`);
    }
  }

  private createDetector(profile: Profile, protections: GuardDutyProtections): guardduty.CfnDetector {
    const paid = profile.production;
    const status = (on: boolean | undefined, dflt: boolean) => ((on ?? dflt) ? 'ENABLED' : 'DISABLED');
    const runtime = status(protections.runtimeMonitoring, false);
    return new guardduty.CfnDetector(this, 'Detector', {
      enable: true,
      // Every plan is listed with its status, so none is left to an account-level default.
      features: [
        { name: 'S3_DATA_EVENTS', status: status(protections.s3DataEvents, true) },
        { name: 'RDS_LOGIN_EVENTS', status: status(protections.rdsLoginEvents, paid) },
        { name: 'LAMBDA_NETWORK_LOGS', status: status(protections.lambdaNetworkLogs, paid) },
        { name: 'EKS_AUDIT_LOGS', status: status(protections.eksAuditLogs, false) },
        { name: 'EBS_MALWARE_PROTECTION', status: status(protections.malwareProtection, false) },
        {
          name: 'RUNTIME_MONITORING',
          status: runtime,
          additionalConfiguration: ['ECS_FARGATE_AGENT_MANAGEMENT', 'EKS_ADDON_MANAGEMENT', 'EC2_AGENT_MANAGEMENT']
            .map((name) => ({ name, status: runtime })),
        },
      ],
    });
  }
}
