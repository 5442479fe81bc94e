import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { newStack } from './helpers';
import { IdleCostBudget, IdleCostBudgetAction, IdleCostEstimate, PriceList } from '../../src';

/** A NAT gateway (32.85 USD) and a KMS key (1 USD): 33.85 USD a month. */
function natAndKey(stack: Stack): void {
  new ec2.CfnNatGateway(stack, 'Nat', { subnetId: 'subnet-0123456789abcdef0' });
  new kms.Key(stack, 'Key');
}

describe('IdleCostBudget', () => {
  test('within the budget: no warning', () => {
    // GIVEN
    const stack = newStack();
    natAndKey(stack);
    // WHEN
    IdleCostBudget.enforce(stack, { maxMonthlyUsd: 40 });
    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('over the budget: warns by default, naming the items that pushed it over and by how much', () => {
    // GIVEN: a stack that was within 5 USD until someone added a NAT gateway
    const stack = newStack();
    natAndKey(stack);
    // WHEN
    IdleCostBudget.enforce(stack, { maxMonthlyUsd: 5 });
    // THEN
    Annotations.fromStack(stack).hasWarning('/S', 'Idle cost of S is 33.85 USD a month, over the budget of 5.00 USD by 28.85 USD. '
      + 'Items that pushed it over: S/Nat (NAT gateway (0.045/h)): 32.85 USD. Remove or resize them, or raise `maxMonthlyUsd`. '
      + '[ack: cdk-lean-stack:idleCostOverBudget]');
  });

  test('FAIL: synth throws with the message', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    natAndKey(stack);
    // WHEN
    IdleCostBudget.enforce(stack, { maxMonthlyUsd: 20, action: IdleCostBudgetAction.FAIL });
    // THEN
    expect(() => app.synth()).toThrow(/Idle cost of S is 33.85 USD a month, over the budget of 20.00 USD by 13.85 USD. Items that pushed it over: S\/Nat/);
  });

  test('FAIL within the budget synthesizes', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    natAndKey(stack);
    IdleCostBudget.enforce(stack, { maxMonthlyUsd: 34, action: IdleCostBudgetAction.FAIL });
    expect(() => app.synth()).not.toThrow();
  });

  test('an app budget sums every stack and warns only on the stacks holding the items over it', () => {
    // GIVEN
    const app = new App();
    const cheap = new Stack(app, 'Cheap');
    new kms.Key(cheap, 'Key');
    const costly = new Stack(app, 'Costly');
    natAndKey(costly);
    // WHEN
    IdleCostBudget.enforce(app, { maxMonthlyUsd: 10 });
    // THEN
    Annotations.fromStack(costly).hasWarning('/Costly', Match.stringLikeRegexp('^Idle cost of the app is 34.85 USD a month, over the budget of 10.00 USD by 24.85 USD. Items that pushed it over: Costly/Nat'));
    Annotations.fromStack(cheap).hasNoWarning('*', Match.anyValue());
  });

  test('estimates with the prices given', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'S');
    new kms.Key(stack, 'Key');
    // WHEN: a key at 50 USD is over a 10 USD budget
    IdleCostBudget.enforce(stack, {
      maxMonthlyUsd: 10,
      action: IdleCostBudgetAction.FAIL,
      prices: PriceList.US_EAST_1_2026_11_21.withOverrides({ kmsKeyMonthly: 50 }),
    });
    // THEN
    expect(() => app.synth()).toThrow(/50.00 USD a month/);
  });

  test('itemsOverBudget picks the fewest, most expensive items', () => {
    // GIVEN
    const stack = newStack();
    natAndKey(stack);
    new kms.Key(stack, 'Key2');
    const estimate = IdleCostEstimate.ofStack(stack);
    // WHEN / THEN
    expect(IdleCostBudget.itemsOverBudget(estimate, 34.85).map((i) => i.constructPath)).toEqual([]);
    expect(IdleCostBudget.itemsOverBudget(estimate, 34).map((i) => i.constructPath)).toEqual(['S/Nat']);
    expect(IdleCostBudget.itemsOverBudget(estimate, 1).map((i) => i.constructPath)).toEqual(['S/Nat', 'S/Key/Resource']);
  });

  test('rejects a negative budget', () => {
    expect(() => IdleCostBudget.enforce(newStack(), { maxMonthlyUsd: -1 })).toThrow('[S] `maxMonthlyUsd` must be a number of at least 0, got: -1');
  });
});
