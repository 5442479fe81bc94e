import { IConstruct } from 'constructs';
import { checkName, checkPattern, checkRange, invalid, NAME_RULES } from '../../private/validate';

/** The `ObservabilityStack` props the checks read (declared here, so the stack depends on its checks only). */
export interface StackPropsInput {
  readonly tracingSampleRate?: number;
  readonly dashboardName?: string;
  readonly monthlyBudgetUsd?: number;
  readonly alarmEmails?: string[];
  readonly runbookUrl?: string;
}

/** Rejects the `ObservabilityStack`'s props that AWS would refuse or that contradict each other. */
export function checkStackProps(scope: IConstruct, props: StackPropsInput): void {
  checkRange(scope, 'tracingSampleRate', props.tracingSampleRate, { min: 0, max: 1 });
  checkName(scope, 'dashboardName', props.dashboardName, NAME_RULES.dashboard);
  if (props.monthlyBudgetUsd !== undefined && !(props.monthlyBudgetUsd > 0)) {
    invalid(scope, 'monthlyBudgetUsd', props.monthlyBudgetUsd, 'an amount in USD above 0');
  }
  for (const email of props.alarmEmails ?? []) checkPattern(scope, 'alarmEmails', email, /^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'email addresses');
  if (props.runbookUrl !== undefined) checkPattern(scope, 'runbookUrl', props.runbookUrl, /^https?:\/\/\S+$/, 'an http(s) URL');
}
