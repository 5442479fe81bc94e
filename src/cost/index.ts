export * from './price-list';
export * from './idle-cost-estimate';
