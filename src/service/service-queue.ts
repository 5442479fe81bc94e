import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Profile } from '../core/profile';
import { acknowledge } from '../private/nag';
import { resolveProfile } from '../private/profile';
import { checkQueueOptions } from './private/option-checks';

/** What a service asks of its queue. */
export interface ServiceQueueOptions {
  /**
   * How long a received message stays hidden from other consumers, longer than the slowest job.
   *
   * @default Duration.seconds(60)
   */
  readonly visibilityTimeout?: Duration;
  /**
   * How many receives before a message moves to the dead-letter queue.
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;
}

/** Props of a `ServiceQueue`. */
export interface ServiceQueueProps extends ServiceQueueOptions {
  /**
   * The deployment profile.
   *
   * @default Profile.COST_CONSCIOUS_PRODUCTION
   */
  readonly profile?: Profile;
}

/**
 * An SQS queue with a dead-letter queue, encrypted at rest (SQS-managed keys), TLS-only. Costs
 * nothing idle.
 *
 * @example
 * import { ServiceQueue } from 'cdk-lean-stack';
 * import { Duration } from 'aws-cdk-lib';
 *
 * const jobs = new ServiceQueue(this, 'Jobs', { visibilityTimeout: Duration.minutes(5) });
 */
export class ServiceQueue extends Construct {
  /** The work queue. */
  public readonly queue: sqs.Queue;
  /** The dead-letter queue, where messages land after `maxReceiveCount` failed receives. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The profile. */
  public readonly profile: Profile;

  constructor(scope: Construct, id: string, props: ServiceQueueProps = {}) {
    super(scope, id);
    this.profile = resolveProfile(this, props.profile);
    checkQueueOptions(this, props);
    const visibilityTimeout = props.visibilityTimeout ?? Duration.seconds(60);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: this.profile.storeRemovalPolicy,
    });
    acknowledge(this.deadLetterQueue, {
      ids: ['AwsSolutions-SQS3'],
      reason: 'This queue is the dead-letter queue of the work queue; a dead-letter queue of its own would never be read.',
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
      removalPolicy: this.profile.storeRemovalPolicy,
    });
  }

  /** Lets a principal send, receive and delete messages on the work queue. */
  public grantSendAndConsume(grantee: iam.IGrantable): void {
    this.queue.grantSendMessages(grantee);
    this.queue.grantConsumeMessages(grantee);
  }

  /** The settings a container needs to use the queue. */
  public connectionEnvironment(): { [key: string]: string } {
    return {
      QUEUE_URL: this.queue.queueUrl,
      QUEUE_NAME: this.queue.queueName,
      DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
    };
  }
}
