'use strict';
// Pilot-light DR readiness check. Runs on a schedule in the DR region and publishes one datapoint:
// the number of failed checks (0 = ready). Uses the AWS SDK v3 bundled with the Node.js runtime.
const { CloudWatchClient, GetMetricStatisticsCommand, PutMetricDataCommand } = require('@aws-sdk/client-cloudwatch');
const { ECRClient, DescribeImagesCommand } = require('@aws-sdk/client-ecr');
const { ECSClient, DescribeServicesCommand, DescribeTaskDefinitionCommand } = require('@aws-sdk/client-ecs');
const { RDSClient, DescribeDBClustersCommand, DescribeDBInstancesCommand } = require('@aws-sdk/client-rds');

/** The image reference without its registry host: `repo:tag` (or `repo@sha256:...`). */
function imageReference(image) {
  const slash = image.indexOf('/');
  return slash >= 0 ? image.slice(slash + 1) : image;
}

/** Sorted `a,b,c` of a list, for comparisons that ignore order. */
function sorted(list) {
  return [...(list || [])].sort().join(',');
}

/** Differences between two containers of the same name that would make the DR task behave differently. */
function compareContainers(p, d, overridden) {
  const problems = [];
  const name = p.name;
  const differs = (what, a, b) => problems.push(`container '${name}' ${what} differs: primary ${a}, DR ${b}`);
  if (imageReference(p.image) !== imageReference(d.image)) {
    problems.push(`image differs: primary ${imageReference(p.image)}, DR ${imageReference(d.image)}`);
  }
  const ports = (c) => (c.portMappings || []).map((m) => `${m.containerPort}/${m.protocol || 'tcp'}`).sort().join(',');
  if (ports(p) !== ports(d)) problems.push(`port mappings differ: primary ${ports(p)}, DR ${ports(d)}`);
  const env = (c) => (c.environment || []).filter((e) => !overridden.includes(e.name)).map((e) => `${e.name}=${e.value}`);
  if (sorted(env(p)) !== sorted(env(d))) differs('environment', sorted(env(p)) || 'none', sorted(env(d)) || 'none');
  const secrets = (c) => (c.secrets || []).filter((e) => !overridden.includes(e.name)).map((e) => e.name);
  if (sorted(secrets(p)) !== sorted(secrets(d))) differs('secrets', sorted(secrets(p)) || 'none', sorted(secrets(d)) || 'none');
  if ((p.user || 'image default') !== (d.user || 'image default')) differs('user', p.user || 'image default', d.user || 'image default');
  if (Boolean(p.readonlyRootFilesystem) !== Boolean(d.readonlyRootFilesystem)) {
    differs('read-only root filesystem', Boolean(p.readonlyRootFilesystem), Boolean(d.readonlyRootFilesystem));
  }
  // Where a container may write (a read-only root's /tmp): a copy without it fails at its first write.
  const mounts = (c) => sorted((c.mountPoints || []).map((m) => `${m.sourceVolume}:${m.containerPath}${m.readOnly ? ':ro' : ''}`));
  if (mounts(p) !== mounts(d)) differs('mount points', mounts(p) || 'none', mounts(d) || 'none');
  const caps = (c, k) => sorted((((c.linuxParameters || {}).capabilities || {})[k]));
  if (caps(p, 'drop') !== caps(d, 'drop')) differs('dropped capabilities', caps(p, 'drop') || 'none', caps(d, 'drop') || 'none');
  if (caps(p, 'add') !== caps(d, 'add')) differs('added capabilities', caps(p, 'add') || 'none', caps(d, 'add') || 'none');
  const init = (c) => Boolean((c.linuxParameters || {}).initProcessEnabled);
  if (init(p) !== init(d)) differs('init process', init(p), init(d));
  if (Boolean(p.essential !== false) !== Boolean(d.essential !== false)) differs('essential', p.essential !== false, d.essential !== false);
  if ((p.command || []).join(' ') !== (d.command || []).join(' ')) differs('command', (p.command || []).join(' ') || 'image default', (d.command || []).join(' ') || 'image default');
  return problems;
}

/**
 * Differences between the primary's and the DR task definitions that would make the DR task
 * behave differently: task size and architecture, the set of containers, and each container.
 * Variables in `overridden` (the database endpoint, DR-only settings) are expected to differ.
 */
function compareTaskDefinitions(primary, dr, containerName, overridden = []) {
  const problems = [];
  if (String(primary.cpu) !== String(dr.cpu)) problems.push(`cpu differs: primary ${primary.cpu}, DR ${dr.cpu}`);
  if (String(primary.memory) !== String(dr.memory)) problems.push(`memory differs: primary ${primary.memory}, DR ${dr.memory}`);
  const arch = (td) => (td.runtimePlatform && td.runtimePlatform.cpuArchitecture) || 'X86_64';
  if (arch(primary) !== arch(dr)) problems.push(`CPU architecture differs: primary ${arch(primary)}, DR ${arch(dr)}`);
  const names = (td) => (td.containerDefinitions || []).map((c) => c.name);
  if (sorted(names(primary)) !== sorted(names(dr))) problems.push(`containers differ: primary ${sorted(names(primary))}, DR ${sorted(names(dr))}`);
  const find = (td, name) => (td.containerDefinitions || []).find((c) => c.name === name);
  if (!find(primary, containerName) || !find(dr, containerName)) {
    problems.push(`container '${containerName}' missing in the ${!find(primary, containerName) ? 'primary' : 'DR'} task definition`);
    return problems;
  }
  for (const p of primary.containerDefinitions || []) {
    const d = find(dr, p.name);
    if (d) problems.push(...compareContainers(p, d, overridden));
  }
  return problems;
}

/** The replica's status: an RDS read replica, or an Aurora global database's secondary cluster. */
async function replicaStatus(env, rds) {
  if (env.REPLICA_KIND === 'aurora-cluster') {
    const db = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: env.REPLICA_ID }));
    const cluster = (db.DBClusters || [])[0];
    return cluster ? cluster.Status : undefined;
  }
  const db = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: env.REPLICA_ID }));
  const instance = (db.DBInstances || [])[0];
  return instance ? instance.DBInstanceStatus : undefined;
}

async function checkReplicaLag(env, cloudwatch, rds) {
  const status = await replicaStatus(env, rds);
  if (status === undefined) return [`replica ${env.REPLICA_ID} not found`];
  const problems = [];
  if (status !== 'available') problems.push(`replica status is ${status}`);
  const aurora = env.REPLICA_KIND === 'aurora-cluster';
  const end = new Date();
  const stats = await cloudwatch.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/RDS',
    // Aurora reports its global replication lag in milliseconds
    MetricName: aurora ? 'AuroraGlobalDBReplicationLag' : 'ReplicaLag',
    Dimensions: [{ Name: aurora ? 'DBClusterIdentifier' : 'DBInstanceIdentifier', Value: env.REPLICA_ID }],
    StartTime: new Date(end.getTime() - 10 * 60 * 1000),
    EndTime: end,
    Period: 60,
    Statistics: ['Maximum'],
  }));
  const points = stats.Datapoints || [];
  if (points.length === 0) return [...problems, `no ${aurora ? 'AuroraGlobalDBReplicationLag' : 'ReplicaLag'} datapoint in the last 10 minutes`];
  const lag = Math.max(...points.map((p) => p.Maximum)) / (aurora ? 1000 : 1);
  const rpo = Number(env.RPO_SECONDS);
  if (lag > rpo) problems.push(`replica lag ${lag} s is above the recovery point objective of ${rpo} s`);
  return problems;
}

async function checkImage(env, ecr, tag) {
  try {
    await ecr.send(new DescribeImagesCommand({ repositoryName: env.REPOSITORY_NAME, imageIds: [{ imageTag: tag }] }));
    return [];
  } catch (err) {
    if (err && (err.name === 'ImageNotFoundException' || err.name === 'RepositoryNotFoundException')) {
      return [`image ${env.REPOSITORY_NAME}:${tag} is not in the DR region (${err.name})`];
    }
    throw err;
  }
}

/** Compares the task definition a primary service runs with its DR copy; `label` names a split module's problems. */
async function checkTaskDefinition(env, primaryEcs, drEcs, target) {
  const services = await primaryEcs.send(new DescribeServicesCommand({ cluster: env.PRIMARY_CLUSTER, services: [target.primaryService] }));
  const service = (services.services || [])[0];
  if (!service) return [`primary service ${target.primaryService} not found`];
  const primary = await primaryEcs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition }));
  const dr = await drEcs.send(new DescribeTaskDefinitionCommand({ taskDefinition: target.drTaskDefinition }));
  const overridden = (env.OVERRIDDEN_VARIABLES || '').split(',').filter((v) => v);
  const problems = compareTaskDefinitions(primary.taskDefinition, dr.taskDefinition, target.containerName, overridden);
  return target.label ? problems.map((p) => `${target.label}: ${p}`) : problems;
}

/** The main service and each split module, as `checkTaskDefinition` targets. */
function targets(env) {
  const modules = JSON.parse(env.MODULES || '[]');
  return [
    { primaryService: env.PRIMARY_SERVICE, drTaskDefinition: env.DR_TASK_DEFINITION, containerName: env.CONTAINER_NAME },
    ...modules.map((m) => ({ primaryService: m.primaryService, drTaskDefinition: m.drTaskDefinition, containerName: m.name, label: `module '${m.name}'` })),
  ];
}

/** Runs one check; an error (e.g. the primary region unreachable) counts as a failed check. */
async function run(name, fn) {
  try {
    return await fn();
  } catch (err) {
    return [`${name} check failed: ${err && err.message ? err.message : String(err)}`];
  }
}

exports.handler = async function handler(_event, _context, clients) {
  const env = process.env;
  const c = clients || {
    cloudwatch: new CloudWatchClient({}),
    rds: new RDSClient({}),
    ecr: new ECRClient({}),
    drEcs: new ECSClient({}),
    primaryEcs: new ECSClient({ region: env.PRIMARY_REGION }),
  };
  const problems = [
    ...(await run('replica', () => checkReplicaLag(env, c.cloudwatch, c.rds))),
    // an image that does not come from the replicated repository is compared through the task definitions
    ...(env.REPOSITORY_NAME ? await run('image', () => checkImage(env, c.ecr, env.IMAGE_TAG)) : []),
    ...(await Promise.all(targets(env).map((t) => run(t.label ? `${t.label} task definition` : 'task definition', () => checkTaskDefinition(env, c.primaryEcs, c.drEcs, t))))).flat(),
  ];
  await c.cloudwatch.send(new PutMetricDataCommand({
    Namespace: env.METRIC_NAMESPACE,
    MetricData: [{ MetricName: env.METRIC_NAME, Dimensions: [{ Name: 'PilotLightDr', Value: env.NAME }], Value: problems.length, Unit: 'Count' }],
  }));
  const result = { ready: problems.length === 0, problems };
  // one structured line for CloudWatch Logs Insights
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result;
};

exports.compareTaskDefinitions = compareTaskDefinitions;
exports.imageReference = imageReference;
