import { createHash } from 'crypto';
import { Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { migrationJob, publicAlb, PublicAlbSpec, WorkloadSpec } from './workload';
import { PublicAlbFrontDoorOptions } from '../../service/front-door';

/** A role pods assume through EKS Pod Identity (which also tags the session). */
export function podIdentityRole(scope: Construct, id: string, description: string): iam.Role {
  const principal = new iam.ServicePrincipal('pods.eks.amazonaws.com');
  const role = new iam.Role(scope, id, { assumedBy: principal, description });
  (role.assumeRolePolicy as iam.PolicyDocument).addStatements(new iam.PolicyStatement({ actions: ['sts:TagSession'], principals: [principal] }));
  return role;
}

/** The migration Job and the wait for its success. */
export interface Migration {
  readonly name: string;
  readonly job: eks.KubernetesManifest;
  readonly succeeded: eks.KubernetesObjectValue;
}

/**
 * A Job that runs the migration command, and a wait that succeeds only when the Job has. Jobs
 * are immutable, so the name carries a hash of the image, command and settings: each release
 * runs a Job of its own.
 */
export function addMigration(scope: Construct, cluster: eks.ICluster, spec: WorkloadSpec, command: string[], timeout: Duration): Migration {
  const digest = createHash('sha256').update(JSON.stringify(Stack.of(scope).resolve([spec.image, command, spec.environment]))).digest('hex');
  const name = `${spec.name}-migrate-${digest.slice(0, 8)}`;
  const job = new eks.KubernetesManifest(scope, 'Migration', { cluster, manifest: [migrationJob(spec, name, command, timeout.toSeconds())] });
  const succeeded = new eks.KubernetesObjectValue(scope, 'MigrationSucceeded', {
    cluster,
    objectType: 'job',
    objectName: name,
    objectNamespace: spec.namespace,
    // `.status.succeeded` appears only once the Job has succeeded; a failed Job times out the wait.
    jsonPath: '.status.succeeded',
    timeout: timeout.plus(Duration.minutes(1)),
  });
  succeeded.node.addDependency(job);
  return { name, job, succeeded };
}

/** The Ingress a public ALB door comes from, and the URL users reach. */
export function addPublicAlb(
  scope: Construct, cluster: eks.Cluster, spec: WorkloadSpec, alb: PublicAlbFrontDoorOptions, extra: Pick<PublicAlbSpec, 'paths' | 'azCount'>,
): { ingress: eks.KubernetesManifest; url: string } {
  const ingress = new eks.KubernetesManifest(scope, 'Ingress', {
    cluster,
    manifest: publicAlb(spec, {
      certificateArn: alb.certificate.certificateArn,
      sslPolicy: alb.sslPolicy,
      allowedCidrs: alb.allowedCidrs ?? ['0.0.0.0/0'],
      idleTimeoutSeconds: alb.idleTimeout?.toSeconds() ?? 60,
      webAclArn: alb.webAclArn,
      ...extra,
    }),
  });
  const host = alb.domainName ?? cluster.getIngressLoadBalancerAddress(spec.name, { namespace: spec.namespace });
  return { ingress, url: `https://${host}` };
}
