export * from './profile';
export * from './contracts';
