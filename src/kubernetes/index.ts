export * from './lean-eks-cluster';
export * from './modular-monolith-on-eks-props';
export * from './modular-monolith-on-eks';
