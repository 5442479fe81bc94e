import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** The dashboard's layers, top to bottom. */
export enum Layer {
  SLO = 'Service level objectives',
  EDGE = 'Edge (CloudFront)',
  API = 'API (front door)',
  SERVICE = 'Service (ECS)',
  DATABASE = 'Database and migrations',
}

const ORDER = [Layer.SLO, Layer.EDGE, Layer.API, Layer.SERVICE, Layer.DATABASE];

/**
 * The widgets of a dashboard by layer. The `monitorX()` calls may come in any order; the layout
 * is only computed when the dashboard body is rendered, so the layers always read top to bottom.
 */
export class LayeredWidgets {
  private readonly layers = new Map<Layer, cloudwatch.IWidget[]>();
  private readonly late = new Map<Layer, Array<() => cloudwatch.IWidget | undefined>>();

  public add(layer: Layer, ...widgets: cloudwatch.IWidget[]): void {
    const list = this.layers.get(layer) ?? [];
    list.push(...widgets);
    this.layers.set(layer, list);
  }

  /** A widget made at render time, first in its layer (e.g. the status of alarms made later). */
  public addLate(layer: Layer, factory: () => cloudwatch.IWidget | undefined): void {
    this.late.set(layer, [...(this.late.get(layer) ?? []), factory]);
  }

  /** How many widgets a layer holds. */
  public count(layer: Layer): number {
    return this.layers.get(layer)?.length ?? 0;
  }

  /** One widget for `Dashboard.addWidgets()` whose content is laid out at render time. */
  public asWidget(): cloudwatch.IWidget {
    return new LazyColumn(() => this.rows());
  }

  private rows(): cloudwatch.IWidget[] {
    const rows: cloudwatch.IWidget[] = [];
    for (const layer of ORDER) {
      const early = (this.late.get(layer) ?? []).map((f) => f()).filter((w): w is cloudwatch.IWidget => w !== undefined);
      const widgets = [...early, ...(this.layers.get(layer) ?? [])];
      if (widgets.length === 0) continue;
      rows.push(new cloudwatch.TextWidget({ markdown: `## ${layer}`, width: 24, height: 1 }));
      rows.push(new cloudwatch.Row(...widgets));
    }
    return rows;
  }
}

/** A column built when first measured (the dashboard body is a lazy value rendered at synth). */
class LazyColumn implements cloudwatch.IWidget {
  public readonly warnings?: string[] = undefined;
  public readonly warningsV2?: { [id: string]: string } = undefined;
  private built?: cloudwatch.Column;

  constructor(private readonly produce: () => cloudwatch.IWidget[]) {}

  public get width(): number {
    return 24;
  }

  public get height(): number {
    return this.column().height;
  }

  public position(x: number, y: number): void {
    // Measured and positioned at render time, after every monitorX() call.
    this.built = this.column();
    this.built.position(x, y);
  }

  public toJson(): unknown[] {
    return (this.built ?? this.column()).toJson();
  }

  private column(): cloudwatch.Column {
    const rows = this.produce();
    return new cloudwatch.Column(...(rows.length > 0 ? rows : [new cloudwatch.TextWidget({ markdown: 'Nothing monitored yet.', width: 24, height: 1 })]));
  }
}

/** A graph of `width` 8 and `height` 6: three per row. */
export function graph(
  title: string,
  left: cloudwatch.IMetric[],
  opts: { right?: cloudwatch.IMetric[]; unit?: string; leftMin?: number } = {},
): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title,
    left,
    right: opts.right,
    width: 8,
    height: 6,
    leftYAxis: { min: opts.leftMin ?? 0, label: opts.unit, showUnits: false },
  });
}
