export * from './egress';
