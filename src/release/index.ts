export * from './release-artifacts';
export * from './release-source';
export * from './release-environment';
export * from './release-build-options';
export * from './release-pipeline';
export * from './github-release-roles';
