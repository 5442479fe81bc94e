import { PriceList } from '../price-list';

/** A JSON object from a resolved CloudFormation template. */
export type Json = { [key: string]: unknown };

/** One synthesized resource, as the pricers see it. */
export interface ResourceRecord {
  /** The path of the stack (or template name) that holds it: logical IDs are unique per stack. */
  readonly stackKey: string;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Json;
  /** The construct path of the CfnResource (or `aws:cdk:path` metadata, or the logical ID). */
  readonly constructPath: string;
  /** The CloudFormation condition the resource is created under, if any. */
  readonly condition?: string;
}

/** What kind of free tier a line may fall under. */
export type FreeTierKind = 'alarm-metric' | 'dashboard';

/** One priced line: a resource may give several (a load balancer's hours and its IP addresses). */
export interface CostLine {
  readonly description: string;
  readonly monthlyUsd: number;
  /** Billed by use (requests, GB, minutes): listed, never guessed, 0 fixed. */
  readonly usagePriced?: boolean;
  /** A fixed charge exists but the price list has no figure for it. */
  readonly unpriced?: boolean;
  readonly note?: string;
  readonly freeTier?: FreeTierKind;
  /** How many free-tier units (alarm metrics, dashboards) the line holds. */
  readonly freeTierUnits?: number;
}

/** Looks up resources of the same stack, and holds the prices. */
export class PricingContext {
  private readonly byKey = new Map<string, ResourceRecord>();

  constructor(public readonly prices: PriceList, public readonly records: ResourceRecord[]) {
    for (const r of records) this.byKey.set(`${r.stackKey}\u0000${r.logicalId}`, r);
  }

  /** Monthly cost of something billed by the hour. */
  public monthly(hourly: number, count = 1): number {
    return hourly * this.prices.hoursPerMonth * count;
  }

  /** The resource a value refers to (`Ref`, `Fn::GetAtt`, or one inside a `Fn::Join`/`Fn::Sub`), if it is in the same stack. */
  public target(from: ResourceRecord, value: unknown, type?: string): ResourceRecord | undefined {
    for (const id of referencedIds(value)) {
      const found = this.byKey.get(`${from.stackKey}\u0000${id}`);
      if (found && (!type || found.type === type)) return found;
    }
    return undefined;
  }

  /** Resources of a type in the same stack. */
  public ofType(from: ResourceRecord, type: string): ResourceRecord[] {
    return this.records.filter((r) => r.stackKey === from.stackKey && r.type === type);
  }
}

/** Logical IDs a value refers to, outermost first. */
export function referencedIds(value: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (isObject(v)) {
      if (typeof v.Ref === 'string') out.push(v.Ref);
      const getAtt = v['Fn::GetAtt'];
      if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') out.push(getAtt[0]);
      if (typeof getAtt === 'string') out.push(getAtt.split('.')[0]);
      const sub = v['Fn::Sub'];
      const subText = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
      if (subText) {
        for (const m of subText.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)) out.push(m[1]);
      }
      for (const [k, child] of Object.entries(v)) {
        if (k !== 'Ref' && k !== 'Fn::GetAtt') visit(child);
      }
    }
  };
  visit(value);
  return out;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A literal number (CloudFormation often renders numbers as strings); undefined for tokens. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

/** A literal string; undefined for intrinsic functions. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A literal boolean (`true`/`'true'`); undefined otherwise. */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

export function arr(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function obj(value: unknown): Json {
  return isObject(value) ? value : {};
}

/** "3.65" style money. */
export function usd(value: number): string {
  return value.toFixed(2);
}

/** A usage-priced line. */
export function usage(description: string, note?: string): CostLine {
  return { description, monthlyUsd: 0, usagePriced: true, note };
}

/** A line with a fixed charge the price list cannot price. */
export function unpriced(description: string, note: string): CostLine {
  return { description, monthlyUsd: 0, unpriced: true, note };
}

export function plural(n: number, one: string, many?: string): string {
  return `${n} ${n === 1 ? one : many ?? `${one}s`}`;
}

/** A pricer: the lines one resource costs. */
export type Pricer = (r: ResourceRecord, ctx: PricingContext) => CostLine[];
