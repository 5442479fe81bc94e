import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { NAG, acknowledge, nagResourceId } from '../../private/nag';

/** The AWS Config recorder and the delivery channel that writes its snapshots to the trail bucket. */
export interface ConfigRecording {
  readonly recorder: config.CfnConfigurationRecorder;
  readonly deliveryChannel: config.CfnDeliveryChannel;
  readonly role: iam.Role;
}

/**
 * Records every supported resource type continuously and delivers to the trail bucket under
 * `config/`, encrypted with the trail key.
 */
export function recordConfiguration(scope: Construct, bucket: s3.IBucket, key: kms.IKey): ConfigRecording {
  const role = new iam.Role(scope, 'ConfigRole', {
    assumedBy: new iam.ServicePrincipal('config.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')],
  });
  const objects = bucket.arnForObjects('config/AWSLogs/*');
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketAcl', 's3:ListBucket'], resources: [bucket.bucketArn] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:PutObjectAcl'], resources: [objects] }));
  key.grant(role, 'kms:GenerateDataKey*', 'kms:Encrypt');
  acknowledge(role, {
    ids: ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]'],
    reason: 'AWS_ConfigRole is the AWS managed policy AWS keeps current as Config learns to record new resource types; a copy would fall behind.',
  }, {
    ids: [...NAG.inlinePolicy],
    reason: 'The delivery permissions belong to this role alone and are created and deleted with it.',
  }, {
    ids: ['AwsSolutions-IAM5[Action::kms:GenerateDataKey*]'],
    reason: 'Config delivers encrypted snapshots to the trail bucket; GenerateDataKey* is scoped to the trail key only.',
  });
  acknowledge(role, {
    ids: [`AwsSolutions-IAM5[${nagResourceId(role, objects)}]`],
    reason: 'Config writes one object per snapshot under its own config/ prefix of the trail bucket; object names are not known in advance.',
  });
  const recorder = new config.CfnConfigurationRecorder(scope, 'ConfigRecorder', {
    roleArn: role.roleArn,
    recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
    recordingMode: { recordingFrequency: 'CONTINUOUS' },
  });
  const deliveryChannel = new config.CfnDeliveryChannel(scope, 'ConfigDeliveryChannel', {
    s3BucketName: bucket.bucketName,
    s3KeyPrefix: 'config',
    s3KmsKeyArn: key.keyArn,
  });
  // Config starts the recorder once a delivery channel exists; create them in that order.
  deliveryChannel.node.addDependency(recorder);
  recorder.node.addDependency(role);
  return { recorder, deliveryChannel, role };
}
