export * from './migration-egress-mode';
export * from './migration-tool';
export * from './migration-source';
export * from './migration-project';
export * from './private-migration-pipeline';
