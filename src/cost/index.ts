export * from './price-list';
export * from './price-list-overrides';
export * from './idle-cost-item';
export * from './idle-cost-estimate';
export * from './idle-cost-budget';
