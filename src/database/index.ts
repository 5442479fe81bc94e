export * from './postgres-version';
export * from './postgres-database-props';
export * from './postgres-database';
export * from './break-glass-host';
