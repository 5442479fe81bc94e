/** How a migration reaches the database and, for the tool's image, the internet. */
export enum MigrationEgressMode {
  /** A CodeBuild build in the VPC's private subnets, out through the network's NAT gateway or NAT instance. */
  NAT = 'nat',
  /** A CodeBuild build in the VPC, out through interface endpoints (logs, secretsmanager, and ecr.api / ecr.dkr for ECR images) and an S3 gateway endpoint. */
  VPC_ENDPOINTS = 'vpc-endpoints',
  /**
   * A one-off Fargate task in the public subnets (public IP, no inbound rule) runs an image of the
   * tool plus your migrations, which a CodeBuild build outside the VPC builds and starts: no NAT,
   * no endpoints, nothing billed while idle. The default when the network has no NAT.
   */
  FARGATE_TASK = 'fargate-task',
}
