import { Duration } from 'aws-cdk-lib';

/**
 * The assumed time for RDS to promote a cross-region PostgreSQL replica: AWS states "a few
 * minutes"; the upper end of 5 to 10 minutes is used so the estimate errs on the slow side.
 */
export const PROMOTION_TIME = Duration.minutes(10);

/** The assumed time for Fargate tasks to start, pull the image and pass health checks (1 to 2 minutes). */
export const SCALE_UP_TIME = Duration.minutes(2);

/**
 * Detection (health check interval x threshold) + promotion + scale-up, plus the DNS TTL when failover records
 * exist (resolvers may keep the old answer that long).
 */
export function estimateRecovery(detection: Duration, dnsTtl?: Duration): Duration {
  const seconds = detection.toSeconds() + PROMOTION_TIME.toSeconds() + SCALE_UP_TIME.toSeconds() + (dnsTtl ? dnsTtl.toSeconds() : 0);
  return Duration.seconds(seconds);
}
