export * from './egress';
export * from './interface-endpoint';
export * from './network';
