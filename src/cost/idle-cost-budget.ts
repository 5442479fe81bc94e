import { Annotations, AspectPriority, Aspects, IAspect, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { IdleCostEstimate } from './idle-cost-estimate';
import { IdleCostItem } from './idle-cost-item';
import { PriceList } from './price-list';
import { checkRange } from '../private/validate';

/** What synth does when the idle cost goes over the budget. */
export enum IdleCostBudgetAction {
  /** Add a warning to the stacks that hold the items over the budget. Synth goes on (`cdk synth --strict` fails). */
  WARN = 'WARN',
  /** Fail synth with an error that lists the items over the budget. */
  FAIL = 'FAIL',
}

/** Props for `IdleCostBudget.enforce`. */
export interface IdleCostBudgetProps {
  /** The most the scope may cost a month while idle, in USD (fixed charges, before any free tier). */
  readonly maxMonthlyUsd: number;

  /**
   * What to do when the estimate goes over `maxMonthlyUsd`.
   *
   * @default IdleCostBudgetAction.WARN
   */
  readonly action?: IdleCostBudgetAction;

  /**
   * The prices to estimate with.
   *
   * @default PriceList.US_EAST_1_2026_11_21
   */
  readonly prices?: PriceList;
}

/**
 * A budget for the idle cost of a stack, a stage or an app, checked at every synth: when the
 * `IdleCostEstimate` of what was synthesized goes over `maxMonthlyUsd`, synth warns or fails and
 * names the items that pushed it over (most expensive first), so a change that adds a NAT gateway
 * or a load balancer stops in review, not on the bill. `npx cdk-lean-stack cost --max` runs the
 * same check on a synthesized `cdk.out`.
 *
 * @example
 * import { IdleCostBudget, IdleCostBudgetAction } from 'cdk-lean-stack';
 *
 * IdleCostBudget.enforce(this, { maxMonthlyUsd: 40, action: IdleCostBudgetAction.FAIL });
 */
export class IdleCostBudget {
  /**
   * Checks the idle cost of `scope` against a budget at synth, after every other aspect ran.
   *
   * @param scope a stack, a stage or an app
   */
  public static enforce(scope: IConstruct, props: IdleCostBudgetProps): void {
    checkRange(scope, 'maxMonthlyUsd', props.maxMonthlyUsd, { min: 0 });
    const action = props.action ?? IdleCostBudgetAction.WARN;
    const estimate = () => IdleCostEstimate.ofConstruct(scope, { prices: props.prices });
    const what = scope.node.path || 'the app';
    if (action === IdleCostBudgetAction.FAIL) {
      // A validation runs after every aspect and makes `app.synth()` (and `cdk synth`) throw.
      scope.node.addValidation({
        validate: () => {
          const message = IdleCostBudget.describeOverrun(what, estimate(), props.maxMonthlyUsd);
          return message ? [message] : [];
        },
      });
      return;
    }
    const aspect: IAspect = {
      visit(node: IConstruct): void {
        if (node !== scope) return;
        const e = estimate();
        const message = IdleCostBudget.describeOverrun(what, e, props.maxMonthlyUsd);
        if (!message) return;
        for (const stack of stacksToWarn(scope, IdleCostBudget.itemsOverBudget(e, props.maxMonthlyUsd))) {
          Annotations.of(stack).addWarningV2('cdk-lean-stack:idleCostOverBudget', message);
        }
      },
    };
    Aspects.of(scope).add(aspect, { priority: AspectPriority.READONLY });
  }

  /**
   * The fewest, most expensive fixed items whose removal would bring the estimate within the
   * budget. Empty when it is within the budget already.
   */
  public static itemsOverBudget(estimate: IdleCostEstimate, maxMonthlyUsd: number): IdleCostItem[] {
    let excess = estimate.totalMonthlyUsd - maxMonthlyUsd;
    const over: IdleCostItem[] = [];
    const byCost = [...estimate.fixedItems].filter((i) => i.monthlyUsd > 0).sort((a, b) => b.monthlyUsd - a.monthlyUsd);
    for (const item of byCost) {
      if (excess <= 1e-9) break;
      over.push(item);
      excess -= item.monthlyUsd;
    }
    return over;
  }

  /**
   * One paragraph saying by how much `estimate` is over the budget and which items pushed it over.
   * Undefined when it is within the budget.
   *
   * @param what what the estimate is of, e.g. a stack's path
   */
  public static describeOverrun(what: string, estimate: IdleCostEstimate, maxMonthlyUsd: number): string | undefined {
    if (estimate.totalMonthlyUsd <= maxMonthlyUsd) return undefined;
    const usd = (n: number) => n.toFixed(2);
    const items = IdleCostBudget.itemsOverBudget(estimate, maxMonthlyUsd)
      .map((i) => `${i.constructPath} (${i.description}): ${usd(i.monthlyUsd)} USD`);
    const unpriced = estimate.unpricedItems.length;
    return `Idle cost of ${what} is ${usd(estimate.totalMonthlyUsd)} USD a month, over the budget of ${usd(maxMonthlyUsd)} USD `
      + `by ${usd(estimate.totalMonthlyUsd - maxMonthlyUsd)} USD. Items that pushed it over: ${items.join('; ')}. `
      + 'Remove or resize them, or raise `maxMonthlyUsd`.'
      + (unpriced > 0 ? ` ${unpriced} more item(s) bill idle but are not priced.` : '');
  }

  private constructor() {}
}

/** The scope itself when it is a stack, else the stacks that hold the items over the budget. */
function stacksToWarn(scope: IConstruct, over: IdleCostItem[]): Stack[] {
  if (Stack.isStack(scope)) return [scope];
  const paths = new Set(over.map((i) => i.stackPath));
  return scope.node.findAll().filter((c): c is Stack => Stack.isStack(c) && paths.has(c.node.path));
}
