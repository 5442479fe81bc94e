import { idleAnnotations, KubeObject, POOL_LABEL } from './node-pools';

/** The workload's own settings: its names, container, size, scaling and health check. */
export interface WorkloadBasics {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly containerName: string;
  readonly command?: string[];
  readonly port: number;
  readonly cpuMillis: number;
  readonly memoryMiB: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuTargetPercent: number;
  readonly memoryTargetPercent: number;
  readonly healthCheckPath: string;
  readonly user: number;
}

/** Everything the workload's manifests need, resolved and validated. */
export interface WorkloadSpec extends WorkloadBasics {
  readonly image: string;
  readonly environment: { [key: string]: string };
  readonly architecture: string;
  readonly pool: string;
  readonly idleNodes: number;
  readonly idleNodeType: string;
  readonly spot: boolean;
}

function labels(spec: WorkloadSpec): { [key: string]: string } {
  return { 'app.kubernetes.io/name': spec.name, 'app.kubernetes.io/managed-by': 'cdk-lean-stack' };
}

function meta(spec: WorkloadSpec, name: string): KubeObject {
  return { name, namespace: spec.namespace, labels: labels(spec) };
}

export function namespace(spec: WorkloadSpec): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    // Pod Security Admission rejects pods that are not non-root, read-only and capability-free.
    metadata: { name: spec.namespace, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
  };
}

export function serviceAccount(spec: WorkloadSpec): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(spec, spec.serviceAccount), automountServiceAccountToken: false };
}

/**
 * The pod template shared by the application and the migration job: non-root, read-only root
 * filesystem with a writable `/tmp`, no privilege escalation, every capability dropped, the
 * runtime's seccomp profile, requests equal to limits (Guaranteed QoS), on the chosen pool and
 * architecture.
 */
export function podSpec(spec: WorkloadSpec, container: { name: string; command?: string[]; probes: boolean }, restartPolicy?: string): KubeObject {
  const env = Object.entries(spec.environment).map(([name, value]) => ({ name, value }));
  const resources = { cpu: `${spec.cpuMillis}m`, memory: `${spec.memoryMiB}Mi` };
  const probe = (periodSeconds: number, failureThreshold: number): KubeObject => ({
    httpGet: { path: spec.healthCheckPath, port: spec.port }, periodSeconds, failureThreshold,
  });
  return {
    serviceAccountName: spec.serviceAccount,
    automountServiceAccountToken: false,
    ...(restartPolicy ? { restartPolicy } : {}),
    nodeSelector: { [POOL_LABEL]: spec.pool, 'kubernetes.io/arch': spec.architecture },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: spec.user,
      runAsGroup: spec.user,
      fsGroup: spec.user,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [{
      name: container.name,
      image: spec.image,
      ...(container.command ? { command: container.command } : {}),
      ...(container.probes ? { ports: [{ name: 'http', containerPort: spec.port }] } : {}),
      env,
      resources: { requests: resources, limits: resources },
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      },
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      ...(container.probes ? { readinessProbe: probe(10, 3), livenessProbe: probe(20, 3), startupProbe: probe(5, 24) } : {}),
    }],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }],
  };
}

export function deployment(spec: WorkloadSpec): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      ...meta(spec, spec.name),
      // Read by IdleCostEstimate: the nodes this workload keeps running with no traffic.
      annotations: idleAnnotations(spec),
    },
    spec: {
      replicas: spec.minReplicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: labels(spec) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: labels(spec) },
        spec: {
          ...podSpec(spec, { name: spec.containerName, command: spec.command, probes: true }),
          terminationGracePeriodSeconds: 30,
          topologySpreadConstraints: [{
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: labels(spec) },
          }],
        },
      },
    },
  };
}

export function service(spec: WorkloadSpec): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(spec, spec.name),
    spec: { type: 'ClusterIP', selector: labels(spec), ports: [{ name: 'http', port: 80, targetPort: spec.port, protocol: 'TCP' }] },
  };
}

export function autoscaler(spec: WorkloadSpec): KubeObject {
  const target = (name: string, averageUtilization: number): KubeObject => ({
    type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } },
  });
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(spec, spec.name),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: spec.name },
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      metrics: [target('cpu', spec.cpuTargetPercent), target('memory', spec.memoryTargetPercent)],
      // Scale in slowly so a brief lull does not drop pods the next burst needs.
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  };
}

/**
 * Keeps a pod serving while nodes are drained (consolidation, AMI refresh). With one replica,
 * `maxUnavailable: 0` would block every drain, so a single pod may be moved (a short outage).
 */
export function disruptionBudget(spec: WorkloadSpec): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(spec, spec.name),
    spec: {
      ...(spec.minReplicas > 1 ? { minAvailable: 1 } : { maxUnavailable: 1 }),
      selector: { matchLabels: labels(spec) },
    },
  };
}

/** A migration job: runs once, never retried past `backoffLimit`, kept a day for its logs. */
export function migrationJob(spec: WorkloadSpec, name: string, command: string[], timeoutSeconds: number): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(spec, name),
    spec: {
      backoffLimit: 1,
      activeDeadlineSeconds: timeoutSeconds,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels: { ...labels(spec), 'lean-stack.dev/role': 'migration' } },
        spec: podSpec(spec, { name: 'migrate', command, probes: false }, 'Never'),
      },
    },
  };
}

/** Read by IdleCostEstimate: load balancers a manifest makes the cluster provision. */
export const IDLE_LOAD_BALANCERS_ANNOTATION = 'cost.lean-stack.dev/load-balancers';

/** What the public ALB an Ingress provisions looks like. */
export interface PublicAlbSpec {
  readonly certificateArn: string;
  readonly sslPolicy?: string;
  readonly allowedCidrs: string[];
  readonly idleTimeoutSeconds: number;
  readonly webAclArn?: string;
  readonly paths: string[];
  readonly azCount: number;
}

/**
 * A public ALB provisioned by EKS Auto Mode's load balancing: HTTPS with the certificate, HTTP
 * redirected to HTTPS, invalid headers dropped, pods targeted by IP.
 */
export function publicAlb(spec: WorkloadSpec, alb: PublicAlbSpec): KubeObject[] {
  const className = `${spec.name}-public-alb`;
  const params: KubeObject = {
    apiVersion: 'eks.amazonaws.com/v1',
    kind: 'IngressClassParams',
    metadata: { name: className, labels: labels(spec) },
    spec: {
      scheme: 'internet-facing',
      certificateARNs: [alb.certificateArn],
      ...(alb.sslPolicy ? { sslPolicy: alb.sslPolicy } : {}),
      inboundCIDRs: alb.allowedCidrs,
      loadBalancerAttributes: [
        { key: 'routing.http.drop_invalid_header_fields.enabled', value: 'true' },
        { key: 'idle_timeout.timeout_seconds', value: String(alb.idleTimeoutSeconds) },
      ],
    },
  };
  const ingressClass: KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: className, labels: labels(spec) },
    spec: { controller: 'eks.amazonaws.com/alb', parameters: { apiGroup: 'eks.amazonaws.com', kind: 'IngressClassParams', name: className } },
  };
  const backend = { service: { name: spec.name, port: { number: 80 } } };
  const ingress: KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      ...meta(spec, spec.name),
      annotations: {
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
        'alb.ingress.kubernetes.io/ssl-redirect': '443',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/healthcheck-path': spec.healthCheckPath,
        ...(alb.webAclArn ? { 'alb.ingress.kubernetes.io/wafv2-acl-arn': alb.webAclArn } : {}),
        [IDLE_LOAD_BALANCERS_ANNOTATION]: '1',
        'cost.lean-stack.dev/public-ipv4': String(alb.azCount),
      },
    },
    spec: {
      ingressClassName: className,
      defaultBackend: backend,
      // Module paths all reach the one service today; listing them keeps the door ready for a split.
      ...(alb.paths.length > 0 ? { rules: [{ http: { paths: alb.paths.map((path) => ({ path, pathType: 'Prefix', backend })) } }] } : {}),
    },
  };
  return [params, ingressClass, ingress];
}
