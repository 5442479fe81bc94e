import type { IdleCostItem } from '../idle-cost-item';

/** What a report needs besides its items. */
export interface ReportFigures {
  readonly items: IdleCostItem[];
  readonly totalMonthlyUsd: number;
  readonly freeTierMonthlyUsd: number;
  readonly totalAfterFreeTierMonthlyUsd: number;
  readonly notes: string[];
  readonly unknownResourceTypes: string[];
}

/** Money rounded to cents without binary floating-point surprises (105.735 -> 105.74). */
export function roundCents(value: number): number {
  return Math.round(Math.round(value * 1e6) / 1e4) / 100;
}

export function money(value: number): string {
  return roundCents(value).toFixed(2);
}

/** The construct path a reader recognises: the L2, not its `Resource` child. */
export function displayPath(item: IdleCostItem): string {
  return item.constructPath.replace(/\/(Resource|Default)$/, '');
}

function amount(item: IdleCostItem): string {
  if (item.usagePriced) return 'usage';
  if (!item.priced) return 'unpriced';
  return money(item.monthlyUsd);
}

function cell(text: string | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function ordered(items: IdleCostItem[]): IdleCostItem[] {
  const rank = (i: IdleCostItem) => (i.usagePriced ? 2 : i.priced ? 0 : 1);
  return [...items].sort((a, b) => rank(a) - rank(b) || a.constructPath.localeCompare(b.constructPath));
}

function totalsLines(f: ReportFigures): string[] {
  const lines = [`Total fixed idle cost: ${money(f.totalMonthlyUsd)} USD a month (gross).`];
  if (f.freeTierMonthlyUsd > 0) {
    lines.push(`The CloudWatch free tier (10 alarm metrics, 3 dashboards per account) could cover up to ${money(f.freeTierMonthlyUsd)}: ${money(f.totalAfterFreeTierMonthlyUsd)} USD a month if nothing else in the account uses it.`);
  }
  const unpriced = f.items.filter((i) => !i.priced).length;
  if (unpriced > 0) lines.push(`${unpriced} item(s) bill while idle but are not priced (see their notes): the total is a lower bound.`);
  return lines;
}

export function renderMarkdown(f: ReportFigures): string {
  const out: string[] = [];
  out.push('| Construct | Resource | What | USD/month | Note |');
  out.push('| --- | --- | --- | ---: | --- |');
  for (const item of ordered(f.items)) {
    out.push(`| ${cell(displayPath(item))} | ${cell(item.resourceType)} | ${cell(item.description)} | ${amount(item)} | ${cell(item.note)} |`);
  }
  out.push(`| **Total** | | | **${money(f.totalMonthlyUsd)}** | fixed charges only, gross of free tiers |`);
  out.push('');
  for (const line of totalsLines(f)) out.push(`- ${line}`);
  for (const note of f.notes) out.push(`- ${note}`);
  if (f.unknownResourceTypes.length > 0) {
    out.push(`- Resource types this estimate does not know (not counted): ${f.unknownResourceTypes.join(', ')}.`);
  }
  return out.join('\n') + '\n';
}

export function renderText(f: ReportFigures): string {
  const rows = ordered(f.items).map((i) => [displayPath(i), i.description, amount(i)]);
  const w0 = Math.max(9, ...rows.map((r) => r[0].length));
  const w1 = Math.max(4, ...rows.map((r) => r[1].length));
  const w2 = Math.max(9, ...rows.map((r) => r[2].length));
  const line = (a: string, b: string, c: string) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c.padStart(w2)}`.trimEnd();
  const out = [line('Construct', 'What', 'USD/month'), '-'.repeat(w0 + w1 + w2 + 4)];
  for (const r of rows) out.push(line(r[0], r[1], r[2]));
  out.push('-'.repeat(w0 + w1 + w2 + 4));
  out.push(line('Total (fixed, gross)', '', money(f.totalMonthlyUsd)));
  out.push('');
  out.push(...totalsLines(f), ...f.notes);
  if (f.unknownResourceTypes.length > 0) out.push(`Not known to this estimate (not counted): ${f.unknownResourceTypes.join(', ')}.`);
  return out.join('\n') + '\n';
}
