export * from './security-baseline';
export * from './organization-layout';
