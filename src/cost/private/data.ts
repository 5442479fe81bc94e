import {
  arr, bool, CostLine, num, obj, Pricer, PricingContext, ResourceRecord, str, unpriced, usage, usd,
} from './context';

/**
 * `AWS::RDS::DBInstance`: the class by the hour (twice for Multi-AZ) and its storage (twice for
 * Multi-AZ). Read replicas inherit engine and storage from their source when the source is in the
 * stack. Aurora instances: `db.serverless` bills the cluster's minimum ACUs; provisioned classes by
 * the hour; storage belongs to the cluster.
 */
export const rdsInstance: Pricer = (r, ctx) => {
  const p = r.properties;
  const source = ctx.target(r, p.SourceDBInstanceIdentifier, 'AWS::RDS::DBInstance');
  const replica = p.SourceDBInstanceIdentifier !== undefined;
  const engine = (str(p.Engine) ?? str(source?.properties.Engine))?.toLowerCase();
  const cls = str(p.DBInstanceClass);
  const multiAz = bool(p.MultiAZ) === true;
  const role = replica ? 'read replica' : 'instance';
  const cluster = ctx.target(r, p.DBClusterIdentifier, 'AWS::RDS::DBCluster');
  const aurora = (engine ?? str(cluster?.properties.Engine) ?? '').startsWith('aurora') || p.DBClusterIdentifier !== undefined;

  const monitoring = (num(p.MonitoringInterval) ?? 0) > 0
    ? [usage('RDS Enhanced Monitoring', `OS metrics every ${num(p.MonitoringInterval)} s, billed as CloudWatch Logs ingestion into RDSOSMetrics`)]
    : [];
  if (aurora && cls === 'db.serverless') return [auroraServerlessInstance(ctx, cluster), ...monitoring];

  const lines: CostLine[] = [...monitoring];
  const label = `RDS ${engine ?? '(engine unknown)'} ${role} ${cls ?? '(class unknown)'}${multiAz ? ' Multi-AZ' : ''}`;
  const hourly = instanceHourly(ctx, aurora ? engine ?? str(cluster?.properties.Engine) : engine, cls);
  if (hourly === undefined) {
    lines.push(unpriced(label, `no price for ${engine ?? '?'}:${cls ?? '?'}: supply \`rdsInstanceHourly\``));
  } else {
    lines.push({
      description: `${label} (${hourly}/h${multiAz ? ' x 2' : ''})`,
      monthlyUsd: ctx.monthly(hourly, multiAz ? 2 : 1),
    });
  }
  if (!aurora) lines.push(...storage(r, ctx, source, multiAz));
  return lines;
};

function instanceHourly(ctx: PricingContext, engine: string | undefined, cls: string | undefined): number | undefined {
  if (!cls) return undefined;
  const table = ctx.prices.rdsInstanceHourly;
  return (engine ? table[`${engine}:${cls}`] : undefined) ?? table[cls];
}

function storage(r: ResourceRecord, ctx: PricingContext, source: ResourceRecord | undefined, multiAz: boolean): CostLine[] {
  const p = r.properties;
  const gb = num(p.AllocatedStorage) ?? num(source?.properties.AllocatedStorage);
  const iops = p.Iops ?? source?.properties.Iops;
  const type = str(p.StorageType) ?? str(source?.properties.StorageType) ?? (iops !== undefined ? 'io1' : 'gp2');
  if (gb === undefined) return [unpriced('RDS storage', 'allocated storage not known at synth')];
  const perGb = ctx.prices.rdsStorageGbMonthly[type];
  const copies = multiAz ? 2 : 1;
  if (perGb === undefined) {
    return [unpriced(`RDS storage ${gb} GB ${type}${multiAz ? ' x 2' : ''}`, `no price for ${type} storage: supply \`rdsStorageGbMonthly\``)];
  }
  const extras = iops !== undefined || p.StorageThroughput !== undefined ? '; provisioned IOPS/throughput not counted' : '';
  return [{
    description: `RDS storage ${gb} GB ${type} (${perGb}/GB-month${multiAz ? ' x 2' : ''})`,
    monthlyUsd: gb * perGb * copies,
    note: `backups beyond the free allowance not counted${extras}`,
  }];
}

function auroraServerlessInstance(ctx: PricingContext, cluster: ResourceRecord | undefined): CostLine {
  const scaling = obj(cluster?.properties.ServerlessV2ScalingConfiguration);
  const min = num(scaling.MinCapacity);
  if (min === undefined) return unpriced('Aurora Serverless v2 instance', 'cluster minimum capacity not known at synth');
  return {
    description: `Aurora Serverless v2 instance at ${min} ACU minimum (${ctx.prices.auroraAcuHourly}/ACU-h)`,
    monthlyUsd: ctx.monthly(ctx.prices.auroraAcuHourly, min),
    note: min === 0 ? 'auto-pause at 0 ACU: nothing while paused (resume takes about 15 s)' : 'ACUs above the minimum are usage',
  };
}

/** `AWS::RDS::DBCluster`: Aurora storage and I/O are usage; Multi-AZ DB clusters are not priced. */
export const rdsCluster: Pricer = (r) => {
  const p = r.properties;
  const engine = str(p.Engine) ?? '?';
  if (p.DBClusterInstanceClass !== undefined) {
    return [unpriced(`RDS Multi-AZ DB cluster ${engine} ${str(p.DBClusterInstanceClass) ?? ''}`.trim(), 'Multi-AZ DB clusters (3 instances) are not in the price list')];
  }
  if (str(p.EngineMode) === 'serverless') {
    return [unpriced(`Aurora Serverless v1 cluster ${engine}`, 'Aurora Serverless v1 is not in the price list')];
  }
  return [usage(`Aurora cluster ${engine} storage and I/O`, 'billed per GB stored and I/O; instances are priced separately')];
};

/** `AWS::RDS::DBProxy`: billed per vCPU of the database behind it. */
export const rdsProxy: Pricer = () => [unpriced('RDS Proxy', 'billed per vCPU of its target: not in the price list')];

/** `AWS::ElastiCache::CacheCluster` and `AWS::ElastiCache::ReplicationGroup`: nodes by the hour. */
export const cacheNodes: Pricer = (r, ctx) => {
  const p = r.properties;
  const nodeType = str(p.CacheNodeType);
  let nodes: number | undefined;
  if (r.type === 'AWS::ElastiCache::CacheCluster') {
    nodes = num(p.NumCacheNodes) ?? 1;
  } else {
    const groups = arr(p.NodeGroupConfiguration);
    if (groups && groups.length > 0) {
      nodes = groups.reduce<number>((sum, g) => sum + (num(obj(g).ReplicaCount) ?? 0) + 1, 0);
    } else if (p.NumCacheClusters !== undefined) {
      nodes = num(p.NumCacheClusters);
    } else {
      nodes = (num(p.NumNodeGroups) ?? 1) * ((num(p.ReplicasPerNodeGroup) ?? 0) + 1);
    }
  }
  const label = `ElastiCache ${nodes ?? '?'} x ${nodeType ?? '(node type unknown)'}`;
  const hourly = nodeType ? ctx.prices.elastiCacheNodeHourly[nodeType] : undefined;
  if (hourly === undefined || nodes === undefined) {
    return [unpriced(label, `no price for ${nodeType ?? 'this node type'}: supply \`elastiCacheNodeHourly\``)];
  }
  return [{ description: `${label} (${hourly}/h)`, monthlyUsd: ctx.monthly(hourly, nodes), note: 'backup storage not counted' }];
};

/** `AWS::ElastiCache::ServerlessCache`: a minimum data-storage charge even when idle. */
export const serverlessCache: Pricer = (r, ctx) => {
  const engine = str(r.properties.Engine) ?? '';
  const minimum = ctx.prices.elastiCacheServerlessMinimumMonthly;
  if (minimum === undefined) {
    return [unpriced(`ElastiCache Serverless ${engine}`.trim(), 'bills a minimum data-storage charge when idle: figure not in the price list (supply `elastiCacheServerlessMinimumMonthly`)')];
  }
  return [{
    description: `ElastiCache Serverless ${engine} minimum (${usd(minimum)}/month)`.replace('  ', ' '),
    monthlyUsd: minimum,
    note: 'ECPUs and storage above the minimum are usage',
  }];
};

/** `AWS::DynamoDB::Table` / `AWS::DynamoDB::GlobalTable`: on-demand is usage; provisioned capacity bills by the hour. */
export const dynamoTable: Pricer = (r) => {
  const mode = str(r.properties.BillingMode) ?? (r.type === 'AWS::DynamoDB::GlobalTable' ? 'PROVISIONED' : 'PROVISIONED');
  if (mode === 'PAY_PER_REQUEST') return [usage('DynamoDB table (on demand)', 'billed per request and GB stored')];
  return [unpriced('DynamoDB table (provisioned capacity)', 'provisioned capacity bills by the hour: not in the price list')];
};
