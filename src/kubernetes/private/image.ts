import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { invalid } from '../../private/validate';
import { ServiceImage, ServiceImageSource } from '../../service/service-image';

/**
 * The image reference a pod pulls, from the same `ServiceImage` the Fargate service takes. An
 * asset is built and pushed by the CDK as for Fargate; the node role pulls it.
 */
export function imageReference(scope: Construct, image: ServiceImage, architecture: ecs.CpuArchitecture, puller: iam.IRole): string {
  if (image.source === ServiceImageSource.PRIVATE_REGISTRY) {
    invalid(scope, 'image', image.name, 'an ECR, asset or public registry image on EKS (private registry credentials need an image pull secret, which this construct does not manage)');
  }
  const containerImage = image._containerImage(architecture);
  if (image.source === ServiceImageSource.ASSET) {
    // ContainerImage.bind needs only the execution role of the "task" to grant pulls to: here the
    // node role, which is what pulls images on EKS.
    const host = { taskDefinition: { obtainExecutionRole: () => puller } } as unknown as ecs.ContainerDefinition;
    return containerImage.bind(scope, host).imageName;
  }
  if (containerImage instanceof ecs.EcrImage) return containerImage.imageName;
  return image.name;
}
