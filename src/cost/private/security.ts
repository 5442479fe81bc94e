import { arr, obj, Pricer, str, unpriced, usage } from './context';

/** What each GuardDuty protection plan bills for; none has a fixed monthly fee. */
const GUARDDUTY_PLANS: { [feature: string]: string } = {
  S3_DATA_EVENTS: 'S3 Protection: per million S3 data events analysed',
  RDS_LOGIN_EVENTS: 'RDS Protection: per vCPU-hour (Aurora Serverless: ACU-hour) of monitored databases',
  LAMBDA_NETWORK_LOGS: 'Lambda Protection: per GB of Lambda network activity analysed',
  EKS_AUDIT_LOGS: 'EKS Protection: per million EKS audit log events',
  EKS_RUNTIME_MONITORING: 'EKS Runtime Monitoring: per vCPU-hour of monitored nodes',
  RUNTIME_MONITORING: 'Runtime Monitoring: per vCPU-hour of monitored tasks, pods and instances',
  EBS_MALWARE_PROTECTION: 'Malware Protection for EC2: per GB of EBS volumes scanned, only after a finding',
};

/**
 * `AWS::GuardDuty::Detector`: the detector bills per CloudTrail event and per GB of VPC flow and
 * DNS logs analysed, each enabled protection plan by its own use; a quiet account pays little,
 * but nothing is fixed.
 */
export const guardDutyDetector: Pricer = (r) => {
  if (r.properties.Enable === false || r.properties.Enable === 'false') return [];
  const lines = [usage('GuardDuty detector', 'billed by use: CloudTrail management events, VPC flow log and DNS log GB analysed; 30-day free trial per account and region')];
  for (const feature of (arr(r.properties.Features) ?? []).map(obj)) {
    const plan = GUARDDUTY_PLANS[str(feature.Name) ?? ''];
    if (plan && str(feature.Status) === 'ENABLED') {
      const at = plan.indexOf(': ');
      lines.push(usage(`GuardDuty ${plan.slice(0, at)}`, `billed by use: ${plan.slice(at + 2)}`));
    }
  }
  return lines;
};

/** `AWS::Config::ConfigurationRecorder`: per configuration item recorded, so by change, not by hour. */
export const configRecorder: Pricer = (r) => {
  const periodic = str(obj(r.properties.RecordingMode).RecordingFrequency) === 'DAILY';
  return [usage('AWS Config recorder', periodic
    ? 'billed by use: each configuration item recorded by the daily recording'
    : 'billed by use: each configuration item recorded when a resource changes; rule evaluations bill separately')];
};

/**
 * `AWS::SecurityHub::Hub`: its standards' checks run on a schedule whether or not anything
 * happens, so it bills while idle, per check and finding; the price list has no figure.
 */
export const securityHub: Pricer = (r) => {
  const standards = r.properties.EnableDefaultStandards !== false && r.properties.EnableDefaultStandards !== 'false';
  return standards
    ? [unpriced('Security Hub with default standards', 'security checks run on a schedule and bill per check, and findings beyond the free allowance per finding: not in the price list')]
    : [usage('Security Hub', 'billed by use: findings ingested beyond the free allowance; no standard enabled')];
};

/** `AWS::AccessAnalyzer::Analyzer`: external access analyzers are free; unused access analyzers bill per role and user. */
export const accessAnalyzer: Pricer = (r) => (str(r.properties.Type) ?? '').includes('UNUSED_ACCESS')
  ? [usage('IAM Access Analyzer (unused access)', 'billed by use: per IAM role and user analysed each month')]
  : [];
