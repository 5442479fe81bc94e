/** How a migration build in a VPC reaches AWS APIs and, with NAT, image registries. */
export enum MigrationEgressMode {
  /** Through the network's NAT gateway or NAT instance. */
  NAT = 'nat',
  /** Through interface endpoints (logs, secretsmanager, and ecr.api / ecr.dkr for ECR images) and an S3 gateway endpoint. */
  VPC_ENDPOINTS = 'vpc-endpoints',
}
