export * from './cost-conscious-static-site';
export * from './spa-routing-function';
export * from './site-web-acl';
export * from './site-deploy-role';
export * from './github-oidc-provider';
