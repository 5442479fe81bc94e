// The shapes of an estimate's lines, apart from the estimate itself so that the private renderer
// can read them without importing the construct that uses it.

/** One line of an idle cost estimate: a charge of one synthesized resource. */
export interface IdleCostItem {
  /** The construct path of the CloudFormation resource, e.g. `Prod/Service/LB/Resource`. */
  readonly constructPath: string;
  /** The path of the stack that holds the resource (the template name for `ofTemplateJson`). */
  readonly stackPath: string;
  /** The resource's logical ID in its template. */
  readonly logicalId: string;
  /** The CloudFormation resource type, e.g. `AWS::EC2::NatGateway`. */
  readonly resourceType: string;
  /** What is charged, with the unit price, e.g. `NAT gateway (0.045/h)`. */
  readonly description: string;
  /** The fixed monthly charge in USD while no request arrives (0 for usage-priced and unpriced items). */
  readonly monthlyUsd: number;
  /** Billed only by use (requests, GB, build minutes): listed, not guessed. */
  readonly usagePriced: boolean;
  /** False when the resource bills while idle but the price list has no figure for it. */
  readonly priced: boolean;
  /** Part of an account-wide free tier (standard alarm metrics, dashboards). */
  readonly freeTierEligible: boolean;
  /**
   * What else to know: what is not counted, which figure to supply, which assumption was made.
   *
   * @default - nothing to add
   */
  readonly note?: string;
}

/** The fixed idle cost of one construct and everything under it. */
export interface IdleCostGroup {
  /** The construct's path, e.g. `Prod/Service`. */
  readonly constructPath: string;
  /** Its fixed monthly charges in USD, rounded to cents. */
  readonly monthlyUsd: number;
  /** How many items it holds. */
  readonly itemCount: number;
  /** How many of them bill while idle but are not priced. */
  readonly unpricedCount: number;
}
