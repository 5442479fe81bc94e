import { Annotations, App, AspectPriority, Aspects, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { IdleCostGroup, IdleCostItem } from './idle-cost-item';
import { PriceList } from './price-list';
import { pricerFor } from './private/catalog';
import { collectFromTemplate, collectFromTree, Collected, literalRegion } from './private/collect';
import { applyLogEncryption } from '../private/log-encryption';
import { isObject, PricingContext } from './private/context';
import { renderMarkdown, renderText, roundCents } from './private/render';

/** Options for an idle cost estimate. */
export interface IdleCostEstimateOptions {
  /**
   * The prices to use.
   *
   * @default PriceList.US_EAST_1_2026_11_21
   */
  readonly prices?: PriceList;
}

/**
 * The fixed monthly cost of what was synthesized when no request arrives: NAT, public IPv4
 * addresses, load balancers, interface endpoints, Fargate tasks, databases, caches, keys, secrets,
 * alarms, dashboards, hosted zones, health checks, WAF, Global Accelerator, CodePipeline V1, Cloud
 * Map. It reads each resource's synthesized CloudFormation, so it prices what was really built,
 * itemized per construct and resource. Usage-priced resources (S3, CloudFront, API Gateway, Lambda,
 * CodeBuild, SQS, SNS, logs) are listed as such, with 0 fixed.
 *
 * Call it once the app is built (aspects that add resources run at synth: call it after
 * `app.synth()`, or use `annotateAtSynth`).
 *
 * @example
 * import { IdleCostEstimate } from 'cdk-lean-stack';
 *
 * const estimate = IdleCostEstimate.ofStack(this);
 * const monthly = estimate.totalMonthlyUsd;
 * const table = estimate.toMarkdownTable();
 */
export class IdleCostEstimate {
  /** The idle cost of one stack (and its nested stacks). */
  public static ofStack(stack: Stack, options?: IdleCostEstimateOptions): IdleCostEstimate {
    return IdleCostEstimate.ofConstruct(stack, options);
  }

  /** The idle cost of every stack in a stage. */
  public static ofStage(stage: Stage, options?: IdleCostEstimateOptions): IdleCostEstimate {
    return IdleCostEstimate.ofConstruct(stage, options);
  }

  /** The idle cost of every stack in an app, its stages included. */
  public static ofApp(app: App, options?: IdleCostEstimateOptions): IdleCostEstimate {
    return IdleCostEstimate.ofConstruct(app, options);
  }

  /** The idle cost of any construct and everything under it, e.g. one service. */
  public static ofConstruct(scope: IConstruct, options?: IdleCostEstimateOptions): IdleCostEstimate {
    const prices = options?.prices ?? PriceList.US_EAST_1_2026_11_21;
    // the stack's log key is added when a log group needs it: price it before synth too
    applyLogEncryption(scope);
    const collected = collectFromTree(scope);
    const notes: string[] = [];
    for (const stack of collected.stacks) {
      const region = literalRegion(stack);
      if (region && region !== prices.region) {
        notes.push(`Stack ${stack.node.path} is in ${region}; the prices are ${prices.region} list prices.`);
      }
    }
    return new IdleCostEstimate(collected, prices, notes);
  }

  /**
   * The idle cost of a synthesized template, e.g. the text of `cdk.out/MyStack.template.json`.
   *
   * @param templateJson the template as JSON text
   * @param name what to call the template in construct paths
   */
  public static ofTemplateJson(templateJson: string, name?: string, options?: IdleCostEstimateOptions): IdleCostEstimate {
    const parsed: unknown = JSON.parse(templateJson);
    if (!isObject(parsed)) throw new Error('`templateJson` must be a CloudFormation template object, got: ' + typeof parsed);
    return new IdleCostEstimate(collectFromTemplate(parsed, name ?? 'Template'), options?.prices ?? PriceList.US_EAST_1_2026_11_21, []);
  }

  /**
   * Adds each stack's idle cost to `cdk synth`'s output as info annotations: the stack's total,
   * then one line per construct that costs something idle. It is computed after the other aspects,
   * so it sees their resources too. For the full table, print `ofApp(app).toText()`.
   *
   * @param scope an app, a stage or a stack
   */
  public static annotateAtSynth(scope: IConstruct, options?: IdleCostEstimateOptions): void {
    const aspect: IAspect = {
      visit(node: IConstruct): void {
        if (node !== scope) return;
        const stacks = scope.node.findAll().filter((c): c is Stack => Stack.isStack(c) && !c.nested);
        for (const stack of stacks) {
          // Short lines read well in the CLI, which prefixes each message with its path.
          const estimate = IdleCostEstimate.ofStack(stack, options);
          const unpriced = estimate.unpricedItems.length;
          Annotations.of(stack).addInfo(`Idle cost estimate of ${stack.node.path}: ${estimate.totalMonthlyUsd.toFixed(2)} USD a month `
            + `(fixed, gross; ${estimate.prices.region} prices of ${estimate.prices.takenOn})`
            + `${unpriced > 0 ? `; ${unpriced} item(s) bill idle but are not priced` : ''}`);
          for (const group of estimate.totalsByConstruct()) {
            if (group.monthlyUsd > 0 || group.unpricedCount > 0) {
              Annotations.of(stack).addInfo(`Idle cost of ${group.constructPath}: ${group.monthlyUsd.toFixed(2)} USD a month`
                + `${group.unpricedCount > 0 ? ` + ${group.unpricedCount} unpriced` : ''}`);
            }
          }
        }
      },
    };
    Aspects.of(scope).add(aspect, { priority: AspectPriority.READONLY });
  }

  /** Every line: fixed, usage-priced and unpriced. */
  public readonly items: IdleCostItem[];
  /** The lines with a fixed monthly charge. */
  public readonly fixedItems: IdleCostItem[];
  /** The lines billed only by use. */
  public readonly usagePricedItems: IdleCostItem[];
  /** The lines that bill while idle but have no figure in the price list. */
  public readonly unpricedItems: IdleCostItem[];
  /** The fixed monthly cost in USD, rounded to cents, before any free tier. */
  public readonly totalMonthlyUsd: number;
  /** How much of it the CloudWatch free tier could cover if nothing else in the account used it. */
  public readonly freeTierMonthlyUsd: number;
  /** `totalMonthlyUsd - freeTierMonthlyUsd`. */
  public readonly totalAfterFreeTierMonthlyUsd: number;
  /** The prices used. */
  public readonly prices: PriceList;
  /** Resource types the estimator does not know: not counted. */
  public readonly unknownResourceTypes: string[];
  /** What is and is not counted, the prices' date and region, and any region mismatch. */
  public readonly notes: string[];

  private constructor(collected: Collected, prices: PriceList, notes: string[]) {
    this.prices = prices;
    const ctx = new PricingContext(prices, collected.all);
    const items: IdleCostItem[] = [];
    const unknown = new Set<string>();
    const free = { 'alarm-metric': 0, 'dashboard': 0 };
    for (const r of collected.inScope) {
      const pricer = pricerFor(r.type);
      if (pricer === undefined) unknown.add(r.type);
      if (pricer === undefined || pricer === 'free') continue;
      for (const line of pricer(r, ctx)) {
        const conditional = r.condition ? `created only when condition ${r.condition} holds` : undefined;
        const note = [line.note, conditional].filter((n) => n).join('; ');
        if (line.freeTier) free[line.freeTier] += line.freeTierUnits ?? 1;
        items.push({
          constructPath: r.constructPath,
          stackPath: r.stackKey,
          logicalId: r.logicalId,
          resourceType: r.type,
          description: line.description,
          monthlyUsd: line.usagePriced || line.unpriced ? 0 : line.monthlyUsd,
          usagePriced: line.usagePriced === true,
          priced: line.unpriced !== true,
          freeTierEligible: line.freeTier !== undefined,
          note: note || undefined,
        });
      }
    }
    this.items = items;
    this.fixedItems = items.filter((i) => !i.usagePriced && i.priced);
    this.usagePricedItems = items.filter((i) => i.usagePriced);
    this.unpricedItems = items.filter((i) => !i.priced);
    this.totalMonthlyUsd = roundCents(items.reduce((sum, i) => sum + i.monthlyUsd, 0));
    this.freeTierMonthlyUsd = roundCents(
      Math.min(free['alarm-metric'], prices.freeAlarmMetrics) * prices.alarmMetricMonthly
      + Math.min(free.dashboard, prices.freeDashboards) * prices.dashboardMonthly);
    this.totalAfterFreeTierMonthlyUsd = roundCents(this.totalMonthlyUsd - this.freeTierMonthlyUsd);
    this.unknownResourceTypes = [...unknown].sort();
    this.notes = [
      `Prices: ${prices.describe()}; ${prices.hoursPerMonth} hours a month.${prices.unconfirmed.length ? ` Not confirmed on an AWS page: ${prices.unconfirmed.join('; ')}.` : ''}`,
      'Counted: charges by the hour or month of the synthesized resources, with no request arriving. Listed as usage, not guessed: requests, GB stored or transferred, build minutes, log ingestion, LCUs. Not counted: data transfer, backups beyond the free allowance, EBS volumes, support plans, taxes, and resources created outside CloudFormation.',
      ...notes,
    ];
  }

  /**
   * Fixed monthly cost per construct, most expensive first.
   *
   * @param depth how many levels below each stack to group at (1: the stack's direct children)
   */
  public totalsByConstruct(depth?: number): IdleCostGroup[] {
    const levels = Math.max(1, depth ?? 1);
    const groups = new Map<string, { total: number; count: number; unpriced: number }>();
    for (const item of this.items) {
      const stackParts = item.stackPath.split('/').length;
      const key = item.constructPath.split('/').slice(0, stackParts + levels).join('/');
      const g = groups.get(key) ?? { total: 0, count: 0, unpriced: 0 };
      g.total += item.monthlyUsd;
      g.count += 1;
      if (!item.priced) g.unpriced += 1;
      groups.set(key, g);
    }
    return [...groups.entries()]
      .map(([constructPath, g]) => ({ constructPath, monthlyUsd: roundCents(g.total), itemCount: g.count, unpricedCount: g.unpriced }))
      .sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.constructPath.localeCompare(b.constructPath));
  }

  /** The estimate as a Markdown table with its totals and notes. */
  public toMarkdownTable(): string {
    return renderMarkdown(this);
  }

  /** The estimate as plain text columns with its totals and notes. */
  public toText(): string {
    return renderText(this);
  }
}
