import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/*
 * Keeps README's "every construct checks its props" honest. It reads every exported `*Props`
 * interface from the TypeScript sources (with the TypeScript compiler API, so it needs no compiled
 * `.jsii`: CI runs the tests before compiling) and requires one entry per public prop in COVERAGE:
 *
 * - `rejects(file)`: that test file makes the construct refuse a bad value, with an error message
 *   that names the prop in backticks (checked below);
 * - `anyValue(reason)`: the prop takes any value its type admits, and the reason says why.
 *
 * There is no third kind: a prop AWS constrains has a test that a bad value fails at synth.
 */

type Coverage = { readonly kind: 'rejects'; readonly file: string } | { readonly kind: 'any'; readonly reason: string };
const rejects = (file: string): Coverage => ({ kind: 'rejects', file });
const anyValue = (reason: string): Coverage => ({ kind: 'any', reason });

const ROOT = path.join(__dirname, '..');

/** Every public prop, as `Interface.prop`. */
const COVERAGE: { readonly [prop: string]: Coverage } = {
  'BreakGlassHostProps.network': anyValue('a typed reference to a resource: the type admits only resources'),
  'BreakGlassHostProps.database': rejects('test/prop-validation.test.ts'),
  'BreakGlassHostProps.instanceType': anyValue('a typed reference to a resource: the type admits only resources'),
  'BreakGlassHostProps.profile': anyValue('an enum or enum-like class: only the values it offers exist'),
  'BudgetAlertsProps.topic': anyValue('a typed reference to a resource: the type admits only resources'),
  'BudgetAlertsProps.monthlyLimitUsd': rejects('test/observability/budget-alerts.test.ts'),
  'BudgetAlertsProps.actualThresholdPercent': rejects('test/observability/budget-alerts.test.ts'),
  'BudgetAlertsProps.forecastThresholdPercent': rejects('test/observability/budget-alerts.test.ts'),
  'BudgetAlertsProps.budgetName': rejects('test/prop-validation.test.ts'),
  'CostAnomalyAlertsProps.topic': anyValue('a typed reference to a resource: the type admits only resources'),
  'CostAnomalyAlertsProps.minimumImpactUsd': rejects('test/observability/budget-alerts.test.ts'),
  'CostConsciousStaticSiteProps.profile': anyValue('an enum or enum-like class: only the values it offers exist'),
  'CostConsciousStaticSiteProps.bucket': anyValue('a typed reference to a resource: the type admits only resources'),
  'CostConsciousStaticSiteProps.encryptionKey': anyValue('a typed reference to a resource: the type admits only resources'),
  'CostConsciousStaticSiteProps.customerManagedKey': anyValue('a boolean: both values are valid'),
  'CostConsciousStaticSiteProps.objectLock': rejects('test/static-site/cost-conscious-static-site.test.ts'),
  'CostConsciousStaticSiteProps.noncurrentVersionExpiration': rejects('test/static-site/cost-conscious-static-site.test.ts'),
  'CostConsciousStaticSiteProps.priceClass': anyValue('an enum or enum-like class: only the values it offers exist'),
  'CostConsciousStaticSiteProps.indexDocument': rejects('test/static-site/spa-routing-function.test.ts'),
  'CostConsciousStaticSiteProps.contentSecurityPolicy': anyValue('a Content-Security-Policy header value: any policy the site needs'),
  'CostConsciousStaticSiteProps.hashedAssetsPath': rejects('test/static-site/cost-conscious-static-site.test.ts'),
  'CostConsciousStaticSiteProps.apiOrigin': anyValue('a typed reference to a resource: the type admits only resources'),
  'CostConsciousStaticSiteProps.apiDomainName': rejects('test/static-site/cost-conscious-static-site.test.ts'),
  'CostConsciousStaticSiteProps.apiPathPattern': rejects('test/static-site/cost-conscious-static-site.test.ts'),
  'CostConsciousStaticSiteProps.domainName': rejects('test/static-site/custom-domain.test.ts'),
  'CostConsciousStaticSiteProps.hostedZone': anyValue('a typed reference to a resource: the type admits only resources'),
  'CostConsciousStaticSiteProps.certificate': anyValue('a typed reference to a resource: the type admits only resources'),
  'CostConsciousStaticSiteProps.redirectWww': anyValue('a boolean: both values are valid'),
  'CostConsciousStaticSiteProps.waf': anyValue('an enum or enum-like class: only the values it offers exist'),
  'CostConsciousStaticSiteProps.buildDirectory': rejects('test/static-site/cost-conscious-static-site.test.ts'),
  'CostConsciousStaticSiteProps.gitHubDeploy': rejects('test/static-site/site-deploy-role.test.ts'),
  'CostConsciousStaticSiteProps.accessLogs': anyValue('a boolean: both values are valid'),
  'CostConsciousStaticSiteProps.accessLogRetention': rejects('test/static-site/cost-conscious-static-site.test.ts'),
  'MigrationProjectProps.network': anyValue('a typed reference to a resource: the type admits only resources'),
  'MigrationProjectProps.database': anyValue('a typed reference to a resource: the type admits only resources'),
  'MigrationProjectProps.tool': anyValue('an enum or enum-like class: only the values it offers exist'),
  'MigrationProjectProps.profile': anyValue('an enum or enum-like class: only the values it offers exist'),
  'MigrationProjectProps.source': anyValue('a typed reference to a resource: the type admits only resources'),
  'MigrationProjectProps.buildImage': anyValue('a typed reference to a resource: the type admits only resources'),
  'MigrationProjectProps.subnetSelection': rejects('test/prop-validation.test.ts'),
  'MigrationProjectProps.computeType': anyValue('an enum or enum-like class: only the values it offers exist'),
  'MigrationProjectProps.timeout': rejects('test/migrations/migration-project.test.ts'),
  'MigrationProjectProps.logRetention': rejects('test/prop-validation.test.ts'),
  'MigrationProjectProps.encryptionKey': anyValue('a typed reference to a resource: the type admits only resources'),
  'MigrationProjectProps.notificationTopic': anyValue('a typed reference to a resource: the type admits only resources'),
  'MigrationProjectProps.projectName': rejects('test/prop-validation.test.ts'),
  'ModularMonolithServiceProps.image': anyValue('an enum or enum-like class: only the values it offers exist'),
  'ModularMonolithServiceProps.network': anyValue('a typed reference to a resource: the type admits only resources'),
  'ModularMonolithServiceProps.vpc': anyValue('a typed reference to a resource: the type admits only resources'),
  'ModularMonolithServiceProps.cluster': anyValue('a typed reference to a resource: the type admits only resources'),
  'ModularMonolithServiceProps.profile': anyValue('an enum or enum-like class: only the values it offers exist'),
  'ModularMonolithServiceProps.frontDoor': anyValue('an enum or enum-like class: only the values it offers exist'),
  'ModularMonolithServiceProps.modules': anyValue('module names and paths are validated by ServiceModule (see test/service/service-module.test.ts)'),
  'ModularMonolithServiceProps.splitModules': rejects('test/service/service-module.test.ts'),
  'ModularMonolithServiceProps.database': anyValue('a typed reference to a resource: the type admits only resources'),
  'ModularMonolithServiceProps.cpu': rejects('test/core/validate.test.ts'),
  'ModularMonolithServiceProps.memoryLimitMiB': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithServiceProps.architecture': anyValue('an enum or enum-like class: only the values it offers exist'),
  'ModularMonolithServiceProps.containerPort': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithServiceProps.containerName': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithServiceProps.command': anyValue('the container command: any argv the image understands'),
  'ModularMonolithServiceProps.environment': anyValue('application settings: any names and values (names shared with `secrets` are refused)'),
  'ModularMonolithServiceProps.secrets': anyValue('typed ECS secrets: any names'),
  'ModularMonolithServiceProps.appSecretKeyName': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithServiceProps.user': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithServiceProps.readonlyRootFilesystem': anyValue('a boolean: both values are valid'),
  'ModularMonolithServiceProps.stopTimeout': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithServiceProps.healthCheckGracePeriod': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithServiceProps.healthCheckPath': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithServiceProps.containerHealthCheck': anyValue('an ECS health check: aws-cdk-lib validates its fields'),
  'ModularMonolithServiceProps.minTasks': rejects('test/core/profile.test.ts'),
  'ModularMonolithServiceProps.maxTasks': rejects('test/core/profile.test.ts'),
  'ModularMonolithServiceProps.cpuTargetPercent': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithServiceProps.memoryTargetPercent': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithServiceProps.requestsPerTarget': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithServiceProps.spot': anyValue('a boolean: both values are valid'),
  'ModularMonolithServiceProps.enableExecuteCommand': anyValue('a boolean: both values are valid'),
  'ModularMonolithServiceProps.tracing': anyValue('a boolean: both values are valid'),
  'ModularMonolithServiceProps.tracingCollectorImage': anyValue('a typed container image: any image'),
  'ModularMonolithServiceProps.logRetention': rejects('test/prop-validation.test.ts'),
  'ModularMonolithServiceProps.cache': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithServiceProps.queue': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithServiceProps.taskSubnets': rejects('test/prop-validation.test.ts'),
  'ModularMonolithServiceProps.assignPublicIp': anyValue('a boolean: both values are valid'),
  'ModularMonolithServiceProps.namespace': anyValue('a typed reference to a resource: the type admits only resources'),
  'ModularMonolithServiceProps.namespaceName': rejects('test/prop-validation.test.ts'),
  'ModularMonolithServiceProps.accessLogsBucket': anyValue('a typed reference to a resource: the type admits only resources'),
  'NetworkProps.profile': anyValue('an enum or enum-like class: only the values it offers exist'),
  'NetworkProps.egress': anyValue('an enum or enum-like class: only the values it offers exist'),
  'NetworkProps.maxAzs': rejects('test/network/network.test.ts'),
  'NetworkProps.cidr': rejects('test/prop-validation.test.ts'),
  'NetworkProps.interfaceEndpoints': rejects('test/network/network.test.ts'),
  'NetworkProps.flowLogs': anyValue('a boolean: both values are valid'),
  'NetworkProps.vpc': anyValue('a typed reference to a resource: the type admits only resources'),
  'NetworkProps.existingInterfaceEndpoints': rejects('test/network/network.test.ts'),
  'ObservabilityStackProps.profile': anyValue('an enum or enum-like class: only the values it offers exist'),
  'ObservabilityStackProps.topic': anyValue('a typed reference to a resource: the type admits only resources'),
  'ObservabilityStackProps.topicKey': anyValue('a typed reference to a resource: the type admits only resources'),
  'ObservabilityStackProps.alarmEmails': rejects('test/observability/observability-stack.test.ts'),
  'ObservabilityStackProps.runbookUrl': rejects('test/observability/observability-stack.test.ts'),
  'ObservabilityStackProps.alarmSelection': anyValue('an enum or enum-like class: only the values it offers exist'),
  'ObservabilityStackProps.slo': rejects('test/observability/observability-wiring.test.ts'),
  'ObservabilityStackProps.sloAlerting': anyValue('a boolean: both values are valid'),
  'ObservabilityStackProps.thresholds': rejects('test/observability/observability-wiring.test.ts'),
  'ObservabilityStackProps.dashboard': anyValue('a boolean: both values are valid'),
  'ObservabilityStackProps.dashboardName': rejects('test/prop-validation.test.ts'),
  'ObservabilityStackProps.tracing': anyValue('a boolean: both values are valid'),
  'ObservabilityStackProps.tracingSampleRate': rejects('test/observability/observability-stack.test.ts'),
  'ObservabilityStackProps.managedPrometheus': anyValue('a boolean: both values are valid'),
  'ObservabilityStackProps.monthlyBudgetUsd': rejects('test/observability/observability-stack.test.ts'),
  'ObservabilityStackProps.costAnomalyDetection': anyValue('a boolean: both values are valid'),
  'ObservabilityStackProps.logRetentionCheck': anyValue('an enum or enum-like class: only the values it offers exist'),
  'ObservabilityStackProps.services': anyValue('typed watched constructs: any'),
  'ObservabilityStackProps.databases': anyValue('typed watched constructs: any'),
  'ObservabilityStackProps.sites': anyValue('typed watched constructs: any'),
  'ObservabilityStackProps.migrationRunners': anyValue('typed watched constructs: any'),
  'AuroraGlobalReplicaProps.database': rejects('test/dr/aurora-global-replica.test.ts'),
  'AuroraGlobalReplicaProps.network': anyValue('a typed reference to a resource: the type admits only resources'),
  'AuroraGlobalReplicaProps.profile': anyValue('an enum or enum-like class: only the values it offers exist'),
  'PilotLightDrProps.service': anyValue('a typed reference to a resource: the type admits only resources'),
  'PilotLightDrProps.database': anyValue('a typed reference to a resource: the type admits only resources'),
  'PilotLightDrProps.drStack': anyValue('a typed stack (its region is checked through `drRegion`)'),
  'PilotLightDrProps.drRegion': rejects('test/dr/pilot-light-dr.test.ts'),
  'PilotLightDrProps.bucketsToReplicate': anyValue('a typed reference to a resource: the type admits only resources'),
  'PilotLightDrProps.failoverRouting': rejects('test/dr/pilot-light-dr.test.ts'),
  'PilotLightDrProps.globalAccelerator': rejects('test/dr/pilot-light-dr.test.ts'),
  'PilotLightDrProps.healthCheckInterval': rejects('test/dr/pilot-light-dr.test.ts'),
  'PilotLightDrProps.healthCheckFailureThreshold': rejects('test/dr/pilot-light-dr.test.ts'),
  'PilotLightDrProps.healthCheckPath': rejects('test/dr/pilot-light-dr.test.ts'),
  'PilotLightDrProps.healthCheckDomainName': rejects('test/dr/pilot-light-dr.test.ts'),
  'PilotLightDrProps.recoveryPointObjective': rejects('test/dr/pilot-light-dr.test.ts'),
  'PilotLightDrProps.replicaInstanceType': anyValue('a typed reference to a resource: the type admits only resources'),
  'PilotLightDrProps.imageTag': rejects('test/dr/pilot-light-dr.test.ts'),
  'PilotLightDrProps.drImage': rejects('test/dr/pilot-light-dr.test.ts'),
  'PilotLightDrProps.replicateImages': anyValue('a boolean: both values are valid'),
  'PilotLightDrProps.drEnvironment': anyValue('application settings: any names and values'),
  'PilotLightDrProps.failoverDesiredCount': rejects('test/dr/pilot-light-dr.test.ts'),
  'PilotLightDrProps.readinessInterval': rejects('test/dr/pilot-light-dr.test.ts'),
  'PilotLightDrProps.notificationTopic': anyValue('a typed reference to a resource: the type admits only resources'),
  'PilotLightDrProps.profile': anyValue('an enum or enum-like class: only the values it offers exist'),
  'PostgresDatabaseProps.network': anyValue('a typed reference to a resource: the type admits only resources'),
  'PostgresDatabaseProps.profile': anyValue('an enum or enum-like class: only the values it offers exist'),
  'PostgresDatabaseProps.engine': anyValue('an enum or enum-like class: only the values it offers exist'),
  'PostgresDatabaseProps.version': anyValue('an enum or enum-like class: only the values it offers exist'),
  'PostgresDatabaseProps.databaseName': rejects('test/database/postgres-database.test.ts'),
  'PostgresDatabaseProps.allocatedStorageGiB': rejects('test/database/postgres-database.test.ts'),
  'PostgresDatabaseProps.maxAllocatedStorageGiB': rejects('test/database/postgres-database.test.ts'),
  'PostgresDatabaseProps.minCapacity': rejects('test/database/postgres-database.test.ts'),
  'PostgresDatabaseProps.maxCapacity': rejects('test/database/postgres-database.test.ts'),
  'PostgresDatabaseProps.autoPauseAfter': rejects('test/database/postgres-database.test.ts'),
  'PostgresDatabaseProps.multiAz': anyValue('a boolean: both values are valid'),
  'PostgresDatabaseProps.readReplica': rejects('test/prop-validation.test.ts'),
  'PostgresDatabaseProps.backupRetention': rejects('test/core/profile.test.ts'),
  'PostgresDatabaseProps.deletionProtection': anyValue('a boolean: both values are valid'),
  'PostgresDatabaseProps.encryptionKey': anyValue('a typed reference to a resource: the type admits only resources'),
  'PostgresDatabaseProps.rotateSecretAfter': rejects('test/prop-validation.test.ts'),
  'PostgresDatabaseProps.slowStatementThreshold': rejects('test/database/postgres-database.test.ts'),
  'PostgresDatabaseProps.logRetention': rejects('test/prop-validation.test.ts'),
  'PostgresDatabaseProps.customerManagedKey': rejects('test/database/postgres-database.test.ts'),
  'PostgresDatabaseProps.port': rejects('test/database/postgres-database.test.ts'),
  'PostgresDatabaseProps.monitoringInterval': rejects('test/database/postgres-database.test.ts'),
  'PostgresDatabaseProps.breakGlassHost': anyValue('a boolean: both values are valid'),
  'PrivateMigrationPipelineProps.network': anyValue('a typed reference to a resource: the type admits only resources'),
  'PrivateMigrationPipelineProps.database': anyValue('a typed reference to a resource: the type admits only resources'),
  'PrivateMigrationPipelineProps.source': rejects('test/prop-validation.test.ts'),
  'PrivateMigrationPipelineProps.tool': anyValue('an enum or enum-like class: only the values it offers exist'),
  'PrivateMigrationPipelineProps.profile': anyValue('an enum or enum-like class: only the values it offers exist'),
  'PrivateMigrationPipelineProps.dryRun': anyValue('a boolean: both values are valid'),
  'PrivateMigrationPipelineProps.manualApproval': anyValue('a boolean: both values are valid'),
  'PrivateMigrationPipelineProps.snapshotBeforeMigrate': anyValue('a boolean: both values are valid'),
  'PrivateMigrationPipelineProps.deploy': rejects('test/migrations/private-migration-pipeline.test.ts'),
  'PrivateMigrationPipelineProps.notificationTopic': anyValue('a typed reference to a resource: the type admits only resources'),
  'PrivateMigrationPipelineProps.encryptionKey': anyValue('a typed reference to a resource: the type admits only resources'),
  'PrivateMigrationPipelineProps.timeout': rejects('test/migrations/migration-project.test.ts'),
  'PrivateMigrationPipelineProps.subnetSelection': rejects('test/prop-validation.test.ts'),
  'PrivateMigrationPipelineProps.computeType': anyValue('an enum or enum-like class: only the values it offers exist'),
  'PrivateMigrationPipelineProps.logRetention': rejects('test/prop-validation.test.ts'),
  'PrivateMigrationPipelineProps.pipelineName': rejects('test/prop-validation.test.ts'),
  'ServiceCacheProps.engine': anyValue('an enum or enum-like class: only the values it offers exist'),
  'ServiceCacheProps.maxDataStorageGb': rejects('test/service/service-cache.test.ts'),
  'ServiceCacheProps.maxEcpuPerSecond': rejects('test/service/service-cache.test.ts'),
  'ServiceCacheProps.vpc': anyValue('a typed reference to a resource: the type admits only resources'),
  'ServiceCacheProps.subnets': rejects('test/prop-validation.test.ts'),
  'ServiceCacheProps.profile': anyValue('an enum or enum-like class: only the values it offers exist'),
  'ServiceQueueProps.visibilityTimeout': rejects('test/service/service-queue.test.ts'),
  'ServiceQueueProps.maxReceiveCount': rejects('test/service/service-queue.test.ts'),
  'ServiceQueueProps.profile': anyValue('an enum or enum-like class: only the values it offers exist'),
  'SiteDeployRoleProps.repository': rejects('test/static-site/site-deploy-role.test.ts'),
  'SiteDeployRoleProps.branches': rejects('test/static-site/site-deploy-role.test.ts'),
  'SiteDeployRoleProps.environments': rejects('test/static-site/site-deploy-role.test.ts'),
  'SiteDeployRoleProps.oidcProvider': anyValue('a typed reference to a resource: the type admits only resources'),
  'SiteDeployRoleProps.maxSessionDuration': rejects('test/static-site/site-deploy-role.test.ts'),
  'SiteDeployRoleProps.bucket': anyValue('a typed reference to a resource: the type admits only resources'),
  'SiteDeployRoleProps.distribution': anyValue('a typed reference to a resource: the type admits only resources'),
  'SiteWebAclProps.rateLimit': rejects('test/static-site/site-web-acl.test.ts'),
  'SiteWebAclProps.rateLimitWindow': rejects('test/static-site/site-web-acl.test.ts'),
  'SiteWebAclProps.metricName': rejects('test/static-site/site-web-acl.test.ts'),
  'SloBurnRateAlarmsProps.badEventPercent': anyValue('a typed metric: any metric or expression'),
  'SloBurnRateAlarmsProps.objectivePercent': rejects('test/observability/slo.test.ts'),
  'SloBurnRateAlarmsProps.sloName': anyValue('free text in alarm descriptions'),
  'SloBurnRateAlarmsProps.checkFirst': anyValue('free text in alarm descriptions'),
  'SloBurnRateAlarmsProps.windows': rejects('test/observability/slo.test.ts'),
  'SloBurnRateAlarmsProps.actions': anyValue('typed alarm actions: any'),
  'SloBurnRateAlarmsProps.runbookUrl': rejects('test/observability/slo.test.ts'),
  'SpaRoutingFunctionProps.indexDocument': rejects('test/static-site/spa-routing-function.test.ts'),
  'SpaRoutingFunctionProps.redirectFrom': rejects('test/static-site/spa-routing-function.test.ts'),
  'SpaRoutingFunctionProps.redirectTo': rejects('test/static-site/spa-routing-function.test.ts'),
  'CostConsciousStaticSiteProps.apiOriginHeaders': rejects('test/service/edge-only-access.test.ts'),
  // Props of the constructs added since the table was first written, classified the same way.
  'IdleCostBudgetProps.maxMonthlyUsd': rejects('test/cost/idle-cost-budget.test.ts'),
  'IdleCostBudgetProps.action': anyValue('an enum, enum-like class or typed value: only the values it offers exist'),
  'IdleCostBudgetProps.prices': anyValue('an enum, enum-like class or typed value: only the values it offers exist'),
  'PostgresDatabaseProps.instanceType': rejects('test/database/postgres-database.test.ts'),
  'DrDataReplicationProps.database': rejects('test/dr/pilot-light-dr.test.ts'),
  'DrDataReplicationProps.network': rejects('test/database/break-glass-host.test.ts'),
  'DrDataReplicationProps.replicaInstanceType': anyValue('an enum, enum-like class or typed value: only the values it offers exist'),
  'DrDataReplicationProps.bucketsToReplicate': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'DrDataReplicationProps.profile': rejects('test/core/profile.test.ts'),
  'FailoverRoutingProps.healthCheckDomainName': rejects('test/dr/failover-routing.test.ts'),
  'FailoverRoutingProps.healthCheckPath': rejects('test/dr/pilot-light-dr.test.ts'),
  'FailoverRoutingProps.healthCheckInterval': rejects('test/dr/pilot-light-dr.test.ts'),
  'FailoverRoutingProps.healthCheckFailureThreshold': rejects('test/dr/failover-routing.test.ts'),
  'FailoverRoutingProps.records': rejects('test/dr/failover-routing.test.ts'),
  'FailoverRoutingProps.accelerator': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'FailoverRunbookProps.primary': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'FailoverRunbookProps.data': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'FailoverRunbookProps.standby': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'FailoverRunbookProps.replicaLagAlarm': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'FailoverRunbookProps.notificationTopic': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'FailoverRunbookProps.failoverDesiredCount': rejects('test/dr/failover-runbook.test.ts'),
  'FailoverRunbookProps.recoveryPointObjective': rejects('test/dr/pilot-light-dr.test.ts'),
  'FailoverRunbookProps.readinessInterval': rejects('test/dr/failover-runbook.test.ts'),
  'FailoverRunbookProps.promotionTimeout': anyValue('an enum, enum-like class or typed value: only the values it offers exist'),
  'FailoverRunbookProps.serviceTimeout': anyValue('an enum, enum-like class or typed value: only the values it offers exist'),
  'FailoverRunbookProps.name': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'FailoverRunbookProps.profile': rejects('test/core/profile.test.ts'),
  'PilotLightDrProps.standbyDomain': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'StandbyServiceProps.primary': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'StandbyServiceProps.vpc': rejects('test/kubernetes/lean-eks-cluster.test.ts'),
  'StandbyServiceProps.database': rejects('test/dr/pilot-light-dr.test.ts'),
  'StandbyServiceProps.image': rejects('test/dr/standby-service.test.ts'),
  'StandbyServiceProps.imageTag': rejects('test/dr/pilot-light-dr.test.ts'),
  'StandbyServiceProps.environment': rejects('test/service/modular-monolith-service.test.ts'),
  'StandbyServiceProps.frontDoor': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'StandbyServiceProps.domain': rejects('test/dr/standby-front-door.test.ts'),
  'StandbyServiceProps.profile': rejects('test/core/profile.test.ts'),
  'LeanEksClusterProps.kubectlLayer': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'LeanEksClusterProps.network': rejects('test/database/break-glass-host.test.ts'),
  'LeanEksClusterProps.vpc': rejects('test/kubernetes/lean-eks-cluster.test.ts'),
  'LeanEksClusterProps.profile': rejects('test/core/profile.test.ts'),
  'LeanEksClusterProps.version': rejects('test/database/postgres-database.test.ts'),
  'LeanEksClusterProps.endpointAccess': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'LeanEksClusterProps.clusterLogging': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'LeanEksClusterProps.logRetention': rejects('test/prop-validation.test.ts'),
  'LeanEksClusterProps.secretsEncryptionKey': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'LeanEksClusterProps.spot': rejects('test/kubernetes/lean-eks-cluster.test.ts'),
  'LeanEksClusterProps.maxVcpus': rejects('test/kubernetes/lean-eks-cluster.test.ts'),
  'LeanEksClusterProps.containerInsights': anyValue('a boolean: both values are valid'),
  'LeanEksClusterProps.adminRoleArns': rejects('test/kubernetes/lean-eks-cluster.test.ts'),
  'ModularMonolithOnEksProps.image': rejects('test/dr/standby-service.test.ts'),
  'ModularMonolithOnEksProps.cluster': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'ModularMonolithOnEksProps.network': rejects('test/database/break-glass-host.test.ts'),
  'ModularMonolithOnEksProps.vpc': rejects('test/kubernetes/lean-eks-cluster.test.ts'),
  'ModularMonolithOnEksProps.kubectlLayer': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'ModularMonolithOnEksProps.profile': rejects('test/core/profile.test.ts'),
  'ModularMonolithOnEksProps.name': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'ModularMonolithOnEksProps.frontDoor': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'ModularMonolithOnEksProps.modules': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'ModularMonolithOnEksProps.database': rejects('test/dr/pilot-light-dr.test.ts'),
  'ModularMonolithOnEksProps.migrationCommand': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'ModularMonolithOnEksProps.migrationTimeout': anyValue('an enum, enum-like class or typed value: only the values it offers exist'),
  'ModularMonolithOnEksProps.cpuMillis': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'ModularMonolithOnEksProps.memoryMiB': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'ModularMonolithOnEksProps.architecture': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithOnEksProps.containerPort': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'ModularMonolithOnEksProps.containerName': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'ModularMonolithOnEksProps.command': anyValue('the container command: any argv the image understands (none: the image\'s own)'),
  'ModularMonolithOnEksProps.environment': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithOnEksProps.user': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'ModularMonolithOnEksProps.healthCheckPath': rejects('test/dr/pilot-light-dr.test.ts'),
  'ModularMonolithOnEksProps.minReplicas': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'ModularMonolithOnEksProps.maxReplicas': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'ModularMonolithOnEksProps.cpuTargetPercent': rejects('test/service/modular-monolith-service.test.ts'),
  'ModularMonolithOnEksProps.memoryTargetPercent': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'ModularMonolithOnEksProps.cache': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'ModularMonolithOnEksProps.queue': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'MigrationProjectProps.egressMode': anyValue('an enum, enum-like class or typed value: only the values it offers exist'),
  'PrivateMigrationPipelineProps.egressMode': anyValue('an enum, enum-like class or typed value: only the values it offers exist'),
  'NetworkProps.availabilityZones': rejects('test/network/network.test.ts'),
  'GitHubReleaseRolesProps.repository': rejects('test/release/github-release-roles.test.ts'),
  'GitHubReleaseRolesProps.branches': rejects('test/release/github-release-roles.test.ts'),
  'GitHubReleaseRolesProps.environments': rejects('test/release/github-release-roles.test.ts'),
  'GitHubReleaseRolesProps.oidcProvider': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'GitHubReleaseRolesProps.imageRepository': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'GitHubReleaseRolesProps.site': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'GitHubReleaseRolesProps.pipeline': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'GitHubReleaseRolesProps.maxSessionDuration': anyValue('an enum, enum-like class or typed value: only the values it offers exist'),
  'ReleaseArtifactsProps.maxImageCount': rejects('test/release/release-artifacts.test.ts'),
  'ReleaseArtifactsProps.artifactExpiration': anyValue('an enum, enum-like class or typed value: only the values it offers exist'),
  'ReleaseEnvironmentProps.name': rejects('test/kubernetes/modular-monolith-on-eks.test.ts'),
  'ReleaseEnvironmentProps.artifacts': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'ReleaseEnvironmentProps.service': rejects('test/migrations/private-migration-pipeline.test.ts'),
  'ReleaseEnvironmentProps.migration': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'ReleaseEnvironmentProps.site': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'ReleaseEnvironmentProps.siteUrl': rejects('test/release/release-environment.test.ts'),
  'ReleaseEnvironmentProps.healthCheckPath': rejects('test/dr/pilot-light-dr.test.ts'),
  'ReleaseEnvironmentProps.branch': rejects('test/release/release-environment.test.ts'),
  'ReleaseEnvironmentProps.manualApproval': anyValue('a boolean: both values are valid'),
  'ReleaseEnvironmentProps.rollbackAlarm': anyValue('a boolean: both values are valid'),
  'ReleasePipelineProps.source': rejects('test/migrations/private-migration-pipeline.test.ts'),
  'ReleasePipelineProps.artifacts': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'ReleasePipelineProps.environments': rejects('test/release/github-release-roles.test.ts'),
  'ReleasePipelineProps.flow': rejects('test/release/release-pipeline.test.ts'),
  'ReleasePipelineProps.image': rejects('test/dr/standby-service.test.ts'),
  'ReleasePipelineProps.siteBuild': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'ReleasePipelineProps.profile': rejects('test/core/profile.test.ts'),
  'ReleasePipelineProps.notificationTopic': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'OrganizationLayoutProps.accounts': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'OrganizationLayoutProps.existingRootId': rejects('test/security/organization-layout.test.ts'),
  'OrganizationLayoutProps.regionAllowList': rejects('test/security/organization-layout.test.ts'),
  'OrganizationLayoutProps.securityServiceAdminArns': rejects('test/security/organization-layout.test.ts'),
  'OrganizationLayoutProps.additionalPolicies': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'OrganizationLayoutProps.securityHubAdministrator': rejects('test/security/organization-layout.test.ts'),
  'SecurityBaselineProps.profile': rejects('test/core/profile.test.ts'),
  'SecurityBaselineProps.logExpiration': rejects('test/security/security-baseline.test.ts'),
  'SecurityBaselineProps.objectLockRetention': rejects('test/security/security-baseline.test.ts'),
  'SecurityBaselineProps.encryptionKey': rejects('test/static-site/cost-conscious-static-site.test.ts'),
  'SecurityBaselineProps.cloudWatchLogs': anyValue('a boolean: both values are valid'),
  'SecurityBaselineProps.trailName': rejects('test/security/security-baseline.test.ts'),
  'SecurityBaselineProps.organizationId': rejects('test/security/security-baseline.test.ts'),
  'SecurityBaselineProps.guardDuty': anyValue('a boolean: both values are valid'),
  'SecurityBaselineProps.guardDutyProtections': anyValue('a typed reference to a resource or options object: the type admits only those'),
  'SecurityBaselineProps.accountPublicAccessBlock': anyValue('a boolean: both values are valid'),
  'SecurityBaselineProps.accessLogs': anyValue('a boolean: both values are valid'),
  'SecurityBaselineProps.configRecording': anyValue('a boolean: both values are valid'),
  'SecurityBaselineProps.securityHub': anyValue('a boolean: both values are valid'),
  'CostConsciousStaticSiteProps.assetExtensions': rejects('test/static-site/spa-routing-function.test.ts'),
  'CostConsciousStaticSiteProps.stripApiPrefix': rejects('test/static-site/api-routing.test.ts'),
  'SpaRoutingFunctionProps.assetExtensions': rejects('test/static-site/spa-routing-function.test.ts'),
};

/** Every `.ts` file under `dir`, skipping `private/` folders. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'private' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** `Interface.prop` for every prop of every exported `*Props` interface, inherited ones included. */
function publicProps(): string[] {
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  for (const file of sources(path.join(ROOT, 'src'))) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf-8'), ts.ScriptTarget.Latest, true);
    source.forEachChild((node) => {
      if (!ts.isInterfaceDeclaration(node)) return;
      if (node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) interfaces.set(node.name.text, node);
    });
  }
  const members = (decl: ts.InterfaceDeclaration): string[] => [
    ...(decl.heritageClauses ?? []).flatMap((h) => h.types).flatMap((t) => {
      const parent = interfaces.get(t.expression.getText());
      return parent ? members(parent) : [];
    }),
    ...decl.members.filter(ts.isPropertySignature).map((m) => m.name.getText()),
  ];
  return [...interfaces].filter(([name]) => name.endsWith('Props')).flatMap(([name, decl]) => members(decl).map((prop) => `${name}.${prop}`));
}

describe('every public prop is validated or documented as taking any value', () => {
  const props = publicProps();

  test('each public prop has an entry', () => {
    const missing = props.filter((p) => !(p in COVERAGE));
    expect(missing).toEqual([]);
  });

  test('each entry is a public prop (no stale entries)', () => {
    const stale = Object.keys(COVERAGE).filter((p) => !props.includes(p));
    expect(stale).toEqual([]);
  });

  test.each(Object.entries(COVERAGE).filter(([, c]) => c.kind === 'rejects'))('%s: its test file rejects a bad value by name', (key, coverage) => {
    const prop = key.split('.')[1];
    const file = path.join(ROOT, (coverage as { file: string }).file);
    expect(fs.existsSync(file)).toBe(true);
    // An error message of ours: "`prop` must ...", "`a.prop` cannot ...", "`prop` (x) must ...", "`prop (unit)` must ...".
    // A nested or indexed prop counts for its parent (`slo.fastBurnRate` for `slo`, `splitModules[0].module` for
    // `splitModules`); a backtick may be escaped in a template literal.
    const named = new RegExp(`\\\\?\`([\\w.\\[\\]]*\\.)?${prop}(\\[\\d+\\])?(\\.[\\w.\\[\\]]+)?( \\([^)]*\\))?\\\\?\`( \\([^)]*\\))? (must|cannot|is required|does not|needs|and|describes)`);
    expect(fs.readFileSync(file, 'utf-8')).toMatch(named);
  });

  test('reasons are readable sentences', () => {
    for (const [key, c] of Object.entries(COVERAGE)) {
      if (c.kind !== 'rejects') expect(`${key}: ${c.reason}`).toMatch(/: \S.{10,}/);
    }
  });
});
