export * from './edge-only-access';
export * from './front-door';
export * from './service-image';
export * from './service-module';
export * from './service-cache';
export * from './service-queue';
export * from './modular-monolith-service-props';
export * from './modular-monolith-service';
