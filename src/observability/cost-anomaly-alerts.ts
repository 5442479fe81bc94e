import { Annotations } from 'aws-cdk-lib';
import * as ce from 'aws-cdk-lib/aws-ce';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { allowServiceToPublish } from './private/topic';
import { failSynthOnCloudFormationErrors } from '../private/cloudformation-errors';
import { invalid } from '../private/validate';

/**
 * Props of `CostAnomalyAlerts`.
 */
export interface CostAnomalyAlertsProps {
  /** The topic the alerts go to. Its policy (and key policy) are opened to costalerts.amazonaws.com. */
  readonly topic: sns.ITopic;

  /**
   * Alert on anomalies whose total impact is at least this many USD.
   *
   * @default 20
   */
  readonly minimumImpactUsd?: number;
}

/**
 * AWS Cost Anomaly Detection: a monitor of the account's spend per AWS service and an immediate
 * SNS subscription. The service is free. An account can hold only one AWS-services monitor, so
 * create this once per account.
 *
 * @example
 * import * as sns from 'aws-cdk-lib/aws-sns';
 * import { CostAnomalyAlerts } from 'cdk-lean-stack';
 *
 * declare const topic: sns.ITopic;
 * new CostAnomalyAlerts(this, 'Anomalies', { topic, minimumImpactUsd: 10 });
 */
export class CostAnomalyAlerts extends Construct {
  /** The anomaly monitor (per AWS service). */
  public readonly monitor: ce.CfnAnomalyMonitor;
  /** The subscription that sends anomalies to the topic. */
  public readonly subscription: ce.CfnAnomalySubscription;

  constructor(scope: Construct, id: string, props: CostAnomalyAlertsProps) {
    super(scope, id);
    failSynthOnCloudFormationErrors(this);
    const impact = props.minimumImpactUsd ?? 20;
    if (!(impact > 0)) invalid(this, 'minimumImpactUsd', impact, 'an amount in USD above 0');
    if (!allowServiceToPublish(props.topic, 'costalerts.amazonaws.com', this)) {
      Annotations.of(this).addWarningV2('cdk-lean-stack:observability-anomaly-topic',
        'the topic (or its KMS key) is imported, so its policy cannot be changed here: allow costalerts.amazonaws.com to sns:Publish (and kms:GenerateDataKey*, kms:Decrypt on its key) or anomaly alerts will not arrive');
    }
    this.monitor = new ce.CfnAnomalyMonitor(this, 'Monitor', {
      monitorName: `${this.node.path}`.slice(0, 1024),
      monitorType: 'DIMENSIONAL',
      monitorDimension: 'SERVICE',
    });
    this.subscription = new ce.CfnAnomalySubscription(this, 'Subscription', {
      subscriptionName: `${this.node.path}`.slice(0, 1024),
      // SNS subscribers only receive IMMEDIATE alerts.
      frequency: 'IMMEDIATE',
      monitorArnList: [this.monitor.attrMonitorArn],
      subscribers: [{ type: 'SNS', address: props.topic.topicArn }],
      thresholdExpression: JSON.stringify({
        Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: [String(impact)] },
      }),
    });
  }
}
