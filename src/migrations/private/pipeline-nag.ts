import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { acknowledgeGeneratedPolicies } from './nag';
import { NAG, acknowledge } from '../../private/nag';

/** The pipeline's deliberate compliance trade-offs, acknowledged at the resources they concern. */
export function acknowledgePipelineTradeOffs(scope: IConstruct, artifactBucket: s3.Bucket, accessLogs: boolean): void {
  if (!accessLogs) {
    acknowledge(artifactBucket, {
      ids: [...NAG.s3AccessLogs],
      reason: 'Access logs are off in this profile (development): the bucket holds only pipeline artifacts that expire after 90 days, and who ran what is recorded by CodePipeline and CloudTrail. Production profiles (or a profile with `accessLogs: true`) log access to a dedicated bucket.',
    });
  }
  acknowledge(artifactBucket, {
    ids: [...NAG.s3Replication],
    reason: 'Pipeline artifacts are intermediates rebuilt from the source on the next run; replicating them would double storage for nothing recoverable.',
  });
  acknowledgeGeneratedPolicies(scope);
}
