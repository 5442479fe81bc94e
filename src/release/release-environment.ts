import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { ReleaseArtifacts } from './release-artifacts';
import { IMigrationRunner, IMonolithService, IStaticSite } from '../core/contracts';
import { failSynthOnCloudFormationErrors } from '../private/cloudformation-errors';
import { acknowledge, nagResourceId } from '../private/nag';
import { checkPattern, invalid } from '../private/validate';
import { ModularMonolithService } from '../service/modular-monolith-service';

/** Properties of a `ReleaseEnvironment`. */
export interface ReleaseEnvironmentProps {
  /** The environment's name, also its pipeline stage's name (e.g. `dev`, `uat`, `prod`). */
  readonly name: string;
  /** Where releases are stored (the migration build reads the source from its bucket). */
  readonly artifacts: ReleaseArtifacts;
  /** The service deployed with the image built for the release. */
  readonly service: IMonolithService;
  /**
   * The migration build run before the service is deployed (e.g. a `MigrationProject`), from the
   * release's source.
   *
   * @default - no migration step
   */
  readonly migration?: IMigrationRunner;
  /**
   * The static site the release's SPA is published to.
   *
   * @default - no publish step
   */
  readonly site?: IStaticSite;
  /**
   * The site's public URL, smoke-tested after publishing.
   *
   * @default - `https://` and the distribution's domain name
   */
  readonly siteUrl?: string;
  /**
   * The path smoke-tested through the service's front door after the deploy. With an `edgeOnly`
   * front door it must be the service's `healthCheckPath`, the one route that takes the value in
   * a query parameter (the smoke test calls the API directly, not through the distribution).
   *
   * @default '/'
   */
  readonly healthCheckPath?: string;
  /**
   * The branch that releases to this environment, with `ReleaseFlow.branchPerEnvironment()`.
   *
   * @default - the trunk
   */
  readonly branch?: string;
  /**
   * Wait for a manual approval before releasing to this environment.
   *
   * @default - only the last environment (production) waits
   */
  readonly manualApproval?: boolean;
  /**
   * A CloudWatch alarm on server errors at the front door (5xx) during deploys: when it fires,
   * ECS rolls the deploy back (on top of the circuit breaker, which catches tasks that never
   * become healthy). 0.10 USD a month.
   *
   * @default true
   */
  readonly rollbackAlarm?: boolean;
  /**
   * Who hears the rollback alarm, e.g. an `ObservabilityStack`'s `signalTopic`. It fires on 5xx at
   * the front door for two minutes whether a deploy is running or not (during a deploy ECS also
   * rolls the deploy back), so a channel nobody is paged by fits; the SLO alarms do the paging.
   *
   * @default - none: only ECS acts on it
   */
  readonly rollbackAlarmActions?: cloudwatch.IAlarmAction[];
}

/**
 * One environment a `ReleasePipeline` releases to: its service, migration build, site and URLs.
 * Create it in the environment's own stack: it wires what belongs there (the alarm that rolls a
 * bad deploy back, the migration build's access to the release's artifacts), so the pipeline's
 * stack references the environment's stack and never the other way round.
 *
 * @example
 * import { IMonolithService, IStaticSite, MigrationProject, ReleaseArtifacts, ReleaseEnvironment } from 'cdk-lean-stack';
 *
 * declare const artifacts: ReleaseArtifacts;
 * declare const service: IMonolithService;
 * declare const site: IStaticSite;
 * declare const migration: MigrationProject;
 * const dev = new ReleaseEnvironment(this, 'Release', { name: 'dev', artifacts, service, site, migration, healthCheckPath: '/health' });
 */
export class ReleaseEnvironment extends Construct {
  /** The environment's name and stage name. */
  public readonly name: string;
  /** The service. */
  public readonly service: IMonolithService;
  /** The migration build, when there is one. */
  public readonly migration?: IMigrationRunner;
  /** The static site, when there is one. */
  public readonly site?: IStaticSite;
  /** The site's URL, when there is a site. */
  public readonly siteUrl?: string;
  /** The service's public URL (the API URL). */
  public readonly apiUrl: string;
  /** The URL the smoke test calls after the deploy. */
  public readonly healthCheckUrl: string;
  /** The CPU architecture the service runs on, which the image is built for. */
  public readonly architecture: ecs.CpuArchitecture;
  /** The branch that releases here, with a branch per environment. */
  public readonly branch?: string;
  /** Whether a release waits for an approval here (undefined: the pipeline decides). */
  public readonly manualApproval?: boolean;
  /** The alarm that rolls a bad deploy back (and notifies `rollbackAlarmActions`), when the front door reports 5xx metrics. */
  public readonly rollbackAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ReleaseEnvironmentProps) {
    super(scope, id);
    failSynthOnCloudFormationErrors(this);
    checkPattern(this, 'name', props.name, /^[A-Za-z][A-Za-z0-9_-]{0,29}$/, 'a stage name of 1 to 30 letters, digits, _ or -, starting with a letter');
    const path = props.healthCheckPath ?? '/';
    checkPattern(this, 'healthCheckPath', path, /^\/[^\s]*$/, "a path starting with '/' and without spaces");
    checkPattern(this, 'siteUrl', props.siteUrl, /^https:\/\/[^\s/]+(\/\S*)?$/, "an https URL, e.g. 'https://www.example.com'");
    if (props.branch !== undefined) checkPattern(this, 'branch', props.branch, /^[^\s:*?~^\\]+$/, 'an exact git branch name (no spaces, :, *, ?, ~, ^ or \\)');
    this.name = props.name;
    this.service = props.service;
    this.migration = props.migration;
    this.site = props.site;
    this.branch = props.branch;
    this.manualApproval = props.manualApproval;
    this.apiUrl = props.service.url;
    this.healthCheckUrl = `${props.service.url.replace(/\/$/, '')}${this.smokePath(props.service, path)}`;
    this.siteUrl = props.site ? props.siteUrl ?? `https://${props.site.distribution.distributionDomainName}` : undefined;
    this.architecture = architectureOf(props.service);

    // The migration build (a CodePipeline project in this stack) reads the release's source from
    // the artifact bucket; granting it here keeps the pipeline's stack from writing into this one.
    const migrationRole = props.migration?.project.role;
    if (migrationRole) {
      const bucket = props.artifacts.bucketFor(this);
      bucket.grantRead(migrationRole);
      const policy = migrationRole.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
      if (policy) {
        acknowledge(policy, {
          ids: ['Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', nagResourceId(this, bucket.arnForObjects('*'))]
            .map((f) => `AwsSolutions-IAM5[${f}]`),
          reason: 'aws-cdk-lib\'s bucket.grantRead: the migration build reads the release\'s source from the one artifact bucket, whose keys change every release.',
        });
      }
    }

    if (props.rollbackAlarm ?? true) this.rollbackAlarm = this.createRollbackAlarm(props.service, props.rollbackAlarmActions ?? []);
  }

  /** The smoke-tested path, with the value an edge-only API's health route reads from the query. */
  private smokePath(service: IMonolithService, path: string): string {
    if (!(service instanceof ModularMonolithService)) return path;
    const edgeOnly = service.frontDoor.httpApiOptions?.edgeOnly;
    if (!edgeOnly) return path;
    if (path !== service.healthCheckPath) {
      invalid(this, 'healthCheckPath', path, `the service's health path '${service.healthCheckPath}' with an \`edgeOnly\` front door (the smoke test calls the API directly, and only the health route takes the value as a query parameter)`);
    }
    return edgeOnly.healthCheckPathFor(service, path);
  }

  private createRollbackAlarm(service: IMonolithService, actions: cloudwatch.IAlarmAction[]): cloudwatch.Alarm | undefined {
    const metric = service.httpApi
      ? service.httpApi.metricServerError({ period: Duration.minutes(1), statistic: 'Sum' })
      : service.loadBalancer?.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(1), statistic: 'Sum' });
    if (!metric) return undefined;
    const alarm = new cloudwatch.Alarm(this, 'RollbackAlarm', {
      alarmDescription: `Server errors at the front door of ${service.node.path}: ECS rolls a deploy back while this fires`,
      metric,
      threshold: 5,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    service.service.enableDeploymentAlarms([alarm.alarmName], { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM });
    for (const action of actions) alarm.addAlarmAction(action);
    if (actions.length === 0) {
      acknowledge(alarm, {
        ids: ['HIPAA.Security-CloudWatchAlarmAction', 'NIST.800.53.R5-CloudWatchAlarmAction'],
        reason: 'ECS acts on this alarm itself (it rolls the deploy back); the release pipeline notifies the team when that fails the release (no `rollbackAlarmActions` given).',
      });
    }
    return alarm;
  }
}

/** The service's CPU architecture, read from its task definition's runtime platform. */
function architectureOf(service: IMonolithService): ecs.CpuArchitecture {
  const cfn = service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
  const platform = Stack.of(cfn).resolve(cfn.runtimePlatform) as { cpuArchitecture?: string } | undefined;
  return platform?.cpuArchitecture === 'ARM64' ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64;
}
