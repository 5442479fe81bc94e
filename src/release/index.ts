export * from './release-artifacts';
export * from './release-source';
export * from './release-environment';
export * from './release-pipeline';
export * from './github-release-roles';
