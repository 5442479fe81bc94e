import {
  arr, isObject, num, obj, plural, Pricer, referencedIds, str, unpriced, usage, usd,
} from './context';

/** `AWS::KMS::Key` / `AWS::KMS::ReplicaKey`: a monthly fee per key. */
export const kmsKey: Pricer = (r, ctx) => [{
  description: `KMS ${r.type === 'AWS::KMS::ReplicaKey' ? 'replica' : 'customer managed'} key (${usd(ctx.prices.kmsKeyMonthly)}/month)`,
  monthlyUsd: ctx.prices.kmsKeyMonthly,
  note: 'plus API requests beyond the free tier (usage)',
}];

/** `AWS::SecretsManager::Secret`: a monthly fee per secret, and per replica. */
export const secret: Pricer = (r, ctx) => {
  const replicas = arr(r.properties.ReplicaRegions)?.length ?? 0;
  const copies = 1 + replicas;
  return [{
    description: `Secrets Manager secret${replicas > 0 ? ` + ${plural(replicas, 'replica')}` : ''} (${usd(ctx.prices.secretMonthly)}/month each)`,
    monthlyUsd: ctx.prices.secretMonthly * copies,
    note: 'plus API calls (usage)',
  }];
};

/**
 * `AWS::CloudWatch::Alarm`: per alarm metric. Metric math alarms bill each metric they read;
 * anomaly detection bills three; a period under 60 s is high resolution.
 */
export const alarm: Pricer = (r, ctx) => {
  const p = r.properties;
  const metrics = arr(p.Metrics);
  const periods: number[] = [];
  let count = 1;
  if (metrics) {
    const stats = metrics.map(obj).filter((m) => isObject(m.MetricStat));
    count = Math.max(1, stats.length);
    for (const m of stats) {
      const period = num(obj(m.MetricStat).Period);
      if (period !== undefined) periods.push(period);
    }
  } else {
    const period = num(p.Period);
    if (period !== undefined) periods.push(period);
  }
  const anomaly = p.ThresholdMetricId !== undefined;
  if (anomaly) count = 3;
  const highRes = periods.some((x) => x < 60);
  const price = highRes ? ctx.prices.highResolutionAlarmMetricMonthly : ctx.prices.alarmMetricMonthly;
  const kind = anomaly ? 'anomaly detection alarm' : highRes ? 'high-resolution alarm' : 'alarm';
  return [{
    description: `CloudWatch ${kind}${count > 1 ? ` (${count} metrics)` : ''} (${usd(price)}/metric-month)`,
    monthlyUsd: price * count,
    note: highRes ? undefined : `the first ${ctx.prices.freeAlarmMetrics} standard alarm metrics in an account are free`,
    freeTier: highRes ? undefined : 'alarm-metric',
    freeTierUnits: highRes ? undefined : count,
  }];
};

/** `AWS::CloudWatch::CompositeAlarm`. */
export const compositeAlarm: Pricer = (_r, ctx) => [{
  description: `CloudWatch composite alarm (${usd(ctx.prices.compositeAlarmMonthly)}/month)`,
  monthlyUsd: ctx.prices.compositeAlarmMonthly,
}];

/** `AWS::CloudWatch::Dashboard`. */
export const dashboard: Pricer = (_r, ctx) => [{
  description: `CloudWatch dashboard (${usd(ctx.prices.dashboardMonthly)}/month)`,
  monthlyUsd: ctx.prices.dashboardMonthly,
  note: `the first ${ctx.prices.freeDashboards} dashboards in an account are free`,
  freeTier: 'dashboard',
  freeTierUnits: 1,
}];

/** `AWS::Route53::HostedZone`: a monthly fee per zone, public or private. */
export const hostedZone: Pricer = (r, ctx) => [{
  description: `Route 53 ${r.properties.VPCs !== undefined ? 'private ' : ''}hosted zone (${usd(ctx.prices.hostedZoneMonthly)}/month)`,
  monthlyUsd: ctx.prices.hostedZoneMonthly,
  note: 'plus DNS queries (usage; alias queries to AWS resources are free)',
}];

const AWS_DOMAINS = /(amazonaws\.com|cloudfront\.net|awsglobalaccelerator\.com|on\.aws|elb\.amazonaws\.com)\.?$/i;

/**
 * `AWS::Route53::HealthCheck`: a base fee (AWS endpoint or not) plus a fee for each optional
 * feature (HTTPS, string matching, 10 s interval).
 */
export const healthCheck: Pricer = (r, ctx) => {
  const c = obj(r.properties.HealthCheckConfig);
  const type = str(c.Type) ?? 'HTTP';
  const target = c.FullyQualifiedDomainName ?? c.IPAddress;
  const calculated = type === 'CALCULATED' || type === 'CLOUDWATCH_METRIC' || type === 'RECOVERY_CONTROL';
  // An endpoint the template creates or references is AWS's; a literal name is AWS's only by domain.
  const awsEndpoint = calculated || referencedIds(target).length > 0
    || (typeof target === 'string' && AWS_DOMAINS.test(target));
  const options: string[] = [];
  if (type.startsWith('HTTPS')) options.push('HTTPS');
  if (type.endsWith('STR_MATCH')) options.push('string matching');
  if (num(c.RequestInterval) === 10) options.push('10 s interval');
  const base = awsEndpoint ? ctx.prices.healthCheckAwsMonthly : ctx.prices.healthCheckOtherMonthly;
  const notes = [];
  if (!awsEndpoint) notes.push('endpoint not recognised as AWS\'s: priced as a non-AWS endpoint');
  if (c.MeasureLatency === true || c.MeasureLatency === 'true') notes.push('latency measurement not counted');
  return [{
    description: `Route 53 ${type} health check${options.length ? ` with ${options.join(', ')}` : ''} (${usd(base)} + ${options.length} x ${usd(ctx.prices.healthCheckOptionMonthly)}/month)`,
    monthlyUsd: base + options.length * ctx.prices.healthCheckOptionMonthly,
    note: notes.length ? notes.join('; ') : undefined,
  }];
};

const PAID_MANAGED_GROUPS = ['AWSManagedRulesBotControlRuleSet', 'AWSManagedRulesATPRuleSet', 'AWSManagedRulesACFPRuleSet', 'AWSManagedRulesAntiDDoSRuleSet'];

/** `AWS::WAFv2::WebACL`: a monthly fee per ACL plus one per rule (a managed rule group is a rule). */
export const webAcl: Pricer = (r, ctx) => {
  const rules = (arr(r.properties.Rules) ?? []).map(obj);
  const paid = rules
    .map((rule) => str(obj(obj(rule.Statement).ManagedRuleGroupStatement).Name))
    .filter((name): name is string => name !== undefined && PAID_MANAGED_GROUPS.includes(name));
  const notes = ['plus requests inspected (usage)'];
  if (paid.length > 0) notes.push(`${paid.join(', ')}: subscription and request fees not counted`);
  return [{
    description: `WAF web ACL with ${plural(rules.length, 'rule')} (${usd(ctx.prices.wafWebAclMonthly)} + ${rules.length} x ${usd(ctx.prices.wafRuleMonthly)}/month)`,
    monthlyUsd: ctx.prices.wafWebAclMonthly + rules.length * ctx.prices.wafRuleMonthly,
    note: notes.join('; '),
  }];
};

/** `AWS::CodePipeline::Pipeline`: V1 has a monthly fee per active pipeline; V2 bills action minutes. */
export const pipeline: Pricer = (r, ctx) => {
  const type = str(r.properties.PipelineType) ?? 'V1';
  if (type === 'V2') return [usage('CodePipeline V2 pipeline', 'billed per action minute; no monthly fee')];
  return [{
    description: `CodePipeline V1 pipeline (${usd(ctx.prices.codePipelineV1Monthly)}/month)`,
    monthlyUsd: ctx.prices.codePipelineV1Monthly,
    note: 'billed in months it runs at least once; free for its first 30 days',
  }];
};

/** `AWS::ServiceDiscovery::PrivateDnsNamespace` / `PublicDnsNamespace`: each is a Route 53 hosted zone. */
export const dnsNamespace: Pricer = (r, ctx) => [{
  description: `Cloud Map ${r.type.endsWith('PrivateDnsNamespace') ? 'private' : 'public'} DNS namespace (a hosted zone, ${usd(ctx.prices.hostedZoneMonthly)}/month)`,
  monthlyUsd: ctx.prices.hostedZoneMonthly,
}];

/** `AWS::ServiceDiscovery::Instance`: a registered instance. */
export const cloudMapInstance: Pricer = (_r, ctx) => [{
  description: `Cloud Map registered instance (${usd(ctx.prices.cloudMapInstanceMonthly)}/month)`,
  monthlyUsd: ctx.prices.cloudMapInstanceMonthly,
}];

/** `AWS::SSM::Parameter`: standard parameters are free; advanced ones bill monthly. */
export const ssmParameter: Pricer = (r) => str(r.properties.Tier) === 'Advanced'
  ? [unpriced('SSM advanced parameter', 'advanced parameters bill monthly: not in the price list')]
  : [];

/** `AWS::Lambda::Version` / `AWS::Lambda::Alias`: provisioned concurrency bills while idle. */
export const lambdaProvisioned: Pricer = (r) => r.properties.ProvisionedConcurrencyConfig !== undefined
  ? [unpriced('Lambda provisioned concurrency', 'bills by the hour while idle: not in the price list')]
  : [];

/** `AWS::ECS::Cluster`: free; Container Insights bills as custom metrics. */
export const ecsCluster: Pricer = (r) => {
  const settings = (arr(r.properties.ClusterSettings) ?? []).map(obj);
  const insights = settings.some((s) => s.Name === 'containerInsights' && (s.Value === 'enabled' || s.Value === 'enhanced'));
  return insights ? [usage('ECS Container Insights', 'billed as custom metrics and log ingestion, which grow with tasks and services')] : [];
};
