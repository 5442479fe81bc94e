import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { checkPattern } from '../private/validate';

/** A Docker tag (letters, digits, `_`, `.`, `-`; at most 128) or a `sha256:` digest. */
const TAG_OR_DIGEST = /^([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|sha256:[a-f0-9]{64})$/;
/** Docker's image reference grammar: `[registry[:port]/]repository[:tag][@sha256:digest]`. */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_REFERENCE = new RegExp(
  `^(?:[A-Za-z0-9.-]+(?::[0-9]+)?/)?${COMPONENT}(?:/${COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`,
);

/** Where a service image comes from. */
export enum ServiceImageSource {
  /** An ECR repository. */
  ECR = 'ecr',
  /** A local directory with a Dockerfile, built and pushed at deploy time. */
  ASSET = 'asset',
  /** A public registry (Docker Hub, ECR Public, GitHub). */
  PUBLIC_REGISTRY = 'public-registry',
  /** A private registry that needs credentials. */
  PRIVATE_REGISTRY = 'private-registry',
}

/** Options for an image built from a local Dockerfile directory. */
export interface AssetServiceImageOptions {
  /**
   * The Dockerfile's name inside the directory.
   *
   * @default 'Dockerfile'
   */
  readonly file?: string;
  /**
   * Docker build arguments.
   *
   * @default - none
   */
  readonly buildArgs?: { [key: string]: string };
  /**
   * The build target stage.
   *
   * @default - the last stage
   */
  readonly target?: string;
}

/**
 * The container image of a service: from ECR, from a local Dockerfile, or from a public or private
 * registry. The asset's platform follows the service's CPU architecture.
 *
 * @example
 * import { ServiceImage } from 'cdk-lean-stack';
 * import * as ecr from 'aws-cdk-lib/aws-ecr';
 * import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
 *
 * declare const repository: ecr.IRepository;
 * declare const githubToken: secretsmanager.ISecret;
 * const fromEcr = ServiceImage.fromEcrRepository(repository, 'v1.2.3');
 * const fromGitHub = ServiceImage.fromPrivateRegistry('ghcr.io/acme/api:1.0', githubToken);
 */
export class ServiceImage {
  /**
   * An image in an ECR repository. Pin a tag (or a digest with `sha256:`) for repeatable deploys.
   *
   * @param repository the repository
   * @param tag the tag or digest. Default: `latest`.
   */
  public static fromEcrRepository(repository: ecr.IRepository, tag?: string): ServiceImage {
    return new ServiceImage(ServiceImageSource.ECR, `${repository.repositoryName}:${tag ?? 'latest'}`, repository, tag, undefined, undefined);
  }

  /**
   * An image built from a local directory with a Dockerfile and pushed to the CDK assets
   * repository at deploy time.
   *
   * @param directory the build context
   */
  public static fromAsset(directory: string, options?: AssetServiceImageOptions): ServiceImage {
    return new ServiceImage(ServiceImageSource.ASSET, directory, undefined, undefined, undefined, options ?? {});
  }

  /**
   * An image from a public registry, e.g. `public.ecr.aws/nginx/nginx:1.27`.
   */
  public static fromRegistry(name: string): ServiceImage {
    return new ServiceImage(ServiceImageSource.PUBLIC_REGISTRY, name, undefined, undefined, undefined, undefined);
  }

  /**
   * An image from a private registry (e.g. GitHub's `ghcr.io`); the credentials secret holds
   * `{"username": "...", "password": "..."}` and only the task execution role may read it.
   */
  public static fromPrivateRegistry(name: string, credentials: secretsmanager.ISecret): ServiceImage {
    return new ServiceImage(ServiceImageSource.PRIVATE_REGISTRY, name, undefined, undefined, credentials, undefined);
  }

  private constructor(
    /** Where the image comes from. */
    public readonly source: ServiceImageSource,
    /** The image name (`repo:tag`), or the asset directory. */
    public readonly name: string,
    /** The ECR repository, for `fromEcrRepository`. */
    public readonly repository?: ecr.IRepository,
    private readonly tag?: string,
    /** The registry credentials, for `fromPrivateRegistry`. */
    public readonly credentials?: secretsmanager.ISecret,
    private readonly assetOptions?: AssetServiceImageOptions,
  ) {}

  /**
   * Rejects an empty or malformed image name, tag or directory, naming `prop`.
   *
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    switch (this.source) {
      case ServiceImageSource.ECR:
        checkPattern(scope, `${prop} (tag)`, this.tag, TAG_OR_DIGEST, "a Docker tag (letters, digits, '_', '.', '-'; at most 128) or a 'sha256:' digest, e.g. 'v1.2.3'");
        break;
      case ServiceImageSource.ASSET:
        checkPattern(scope, `${prop} (directory)`, this.name, /\S/, 'the path of a directory with a Dockerfile');
        break;
      default:
        checkPattern(scope, `${prop} (name)`, this.name, IMAGE_REFERENCE,
          "an image reference '[registry/]repository[:tag]' with a lower-case repository and a non-empty tag, e.g. 'public.ecr.aws/nginx/nginx:1.27'");
    }
  }

  /**
   * The ECS container image for the given architecture.
   *
   * @internal
   */
  public _containerImage(architecture: ecs.CpuArchitecture): ecs.ContainerImage {
    switch (this.source) {
      case ServiceImageSource.ECR:
        return ecs.ContainerImage.fromEcrRepository(this.repository!, this.tag);
      case ServiceImageSource.ASSET:
        return ecs.ContainerImage.fromAsset(this.name, {
          file: this.assetOptions?.file,
          buildArgs: this.assetOptions?.buildArgs,
          target: this.assetOptions?.target,
          platform: architecture === ecs.CpuArchitecture.X86_64 ? ecrAssets.Platform.LINUX_AMD64 : ecrAssets.Platform.LINUX_ARM64,
        });
      case ServiceImageSource.PRIVATE_REGISTRY:
        return ecs.ContainerImage.fromRegistry(this.name, { credentials: this.credentials });
      default:
        return ecs.ContainerImage.fromRegistry(this.name);
    }
  }
}
