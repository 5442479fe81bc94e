/**
 * An AWS service a `Network` reaches through an interface VPC endpoint (billed per endpoint and
 * AZ), so that tasks in subnets without NAT can still call it.
 *
 * @example
 * import { InterfaceEndpoint, Network } from 'cdk-lean-stack';
 *
 * new Network(this, 'Network', {
 *   interfaceEndpoints: [InterfaceEndpoint.SECRETS_MANAGER, InterfaceEndpoint.of('sqs')],
 * });
 */
export class InterfaceEndpoint {
  /** Amazon ECR's API, to pull images (with `ECR_DKR` and the free S3 gateway endpoint). */
  public static readonly ECR_API = new InterfaceEndpoint('ecr.api');
  /** Amazon ECR's Docker registry, to pull images. */
  public static readonly ECR_DKR = new InterfaceEndpoint('ecr.dkr');
  /** CloudWatch Logs, to ship container and build logs. */
  public static readonly LOGS = new InterfaceEndpoint('logs');
  /** Secrets Manager, to read database credentials and application secrets. */
  public static readonly SECRETS_MANAGER = new InterfaceEndpoint('secretsmanager');
  /** Systems Manager, for Session Manager and Parameter Store. */
  public static readonly SSM = new InterfaceEndpoint('ssm');
  /** Session Manager's message channel (with `SSM`), e.g. for the break-glass host or ECS Exec. */
  public static readonly SSM_MESSAGES = new InterfaceEndpoint('ssmmessages');
  /** EC2 messages, for the SSM agent on EC2 instances. */
  public static readonly EC2_MESSAGES = new InterfaceEndpoint('ec2messages');
  /** AWS KMS, to use customer managed keys. */
  public static readonly KMS = new InterfaceEndpoint('kms');
  /** AWS STS, to assume roles. */
  public static readonly STS = new InterfaceEndpoint('sts');

  /**
   * Any other service aws-cdk-lib knows an interface endpoint for, by the short name
   * `ec2.InterfaceVpcEndpointAwsService` uses (e.g. `sqs`); an unknown name fails at synth.
   */
  public static of(name: string): InterfaceEndpoint {
    return new InterfaceEndpoint(name);
  }

  private constructor(
    /** The service's short name, e.g. `ecr.api`. */
    public readonly name: string,
  ) {}
}
