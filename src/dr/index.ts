export * from './failover-routing';
export * from './pilot-light-dr';
