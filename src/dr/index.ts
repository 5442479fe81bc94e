export * from './aurora-global-replica';
export * from './dr-data-replication';
export * from './failover-routing';
export * from './failover-runbook';
export * from './failover-target';
export * from './pilot-light-dr';
export * from './standby-service';
