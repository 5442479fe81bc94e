import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

/**
 * Pod CPU and memory alarms on Container Insights metrics (utilization of the pods' limits),
 * averaged over the workload's pods for 15 minutes: sustained pressure the autoscaler did not
 * relieve, e.g. because `maxReplicas` or the node pool's CPU limit was reached.
 */
export function podAlarms(scope: Construct, clusterName: string, namespace: string, podName: string): cloudwatch.Alarm[] {
  const metric = (metricName: string): cloudwatch.Metric => new cloudwatch.Metric({
    namespace: 'ContainerInsights',
    metricName,
    dimensionsMap: { ClusterName: clusterName, Namespace: namespace, PodName: podName },
    statistic: 'Average',
    period: Duration.minutes(5),
  });
  return [
    ['PodCpuAlarm', 'pod_cpu_utilization_over_pod_limit', 'CPU'],
    ['PodMemoryAlarm', 'pod_memory_utilization_over_pod_limit', 'memory'],
  ].map(([id, metricName, what]) => new cloudwatch.Alarm(scope, id, {
    metric: metric(metricName),
    threshold: 90,
    evaluationPeriods: 3,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: `Pods of ${scope.node.path} use 90% or more of their ${what} limit for 15 minutes`,
  }));
}
