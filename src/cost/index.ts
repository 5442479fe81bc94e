export * from './price-list';
export * from './idle-cost-item';
export * from './idle-cost-estimate';
export * from './idle-cost-budget';
