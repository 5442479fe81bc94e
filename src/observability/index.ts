export * from './observability-options';
export * from './slo';
export * from './budget-alerts';
export * from './cost-anomaly-alerts';
export * from './observability-stack';
