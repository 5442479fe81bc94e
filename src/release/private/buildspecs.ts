/** The environment variable carrying the commit the pipeline execution released. */
export const COMMIT_VARIABLE = 'COMMIT_ID';

/** What the image build needs to know. */
export interface ImageBuildSpec {
  /** The docker platform, e.g. `linux/arm64`. */
  readonly platform: string;
  /** Appended to the commit id when several architectures are built (`-arm64`), else ''. */
  readonly tagSuffix: string;
  /** The build context, relative to the repository root. */
  readonly directory: string;
  /** The Dockerfile, relative to the repository root. */
  readonly dockerfile: string;
  /** The image definitions file to write per environment, with the container it names. */
  readonly definitions: Array<{ readonly file: string; readonly containerName: string }>;
}

/**
 * Builds the image natively on the build host's architecture and pushes it under an immutable tag:
 * the commit id. The repository refuses to move a tag, so a re-run of the same commit skips the
 * push instead of failing; no `latest` tag is ever written.
 */
export function imageBuildSpec(spec: ImageBuildSpec): { [key: string]: unknown } {
  return {
    version: '0.2',
    env: { shell: 'bash' },
    phases: {
      pre_build: {
        commands: [
          `test -n "$${COMMIT_VARIABLE}" || { echo "no commit id: the pipeline passes ${COMMIT_VARIABLE}"; exit 1; }`,
          `export IMAGE_TAG="$${COMMIT_VARIABLE}${spec.tagSuffix}"`,
          'export IMAGE_URI="$REPOSITORY_URI:$IMAGE_TAG"',
          'aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "${REPOSITORY_URI%%/*}"',
        ],
      },
      build: {
        commands: [
          'if aws ecr describe-images --repository-name "$REPOSITORY_NAME" --image-ids imageTag="$IMAGE_TAG" > /dev/null 2>&1; then echo "$IMAGE_URI exists: tags are immutable, not rebuilding"; ' +
            `else docker build --platform ${spec.platform} --file ${spec.dockerfile} --tag "$IMAGE_URI" ${spec.directory} && docker push "$IMAGE_URI"; fi`,
        ],
      },
      post_build: {
        commands: [
          // Fail before any environment changes if the build phase failed.
          'test "$CODEBUILD_BUILD_SUCCEEDING" = "1"',
          ...spec.definitions.map((d) => `printf '[{"name":"%s","imageUri":"%s"}]' '${d.containerName}' "$IMAGE_URI" > ${d.file}`),
        ],
      },
    },
    artifacts: { files: spec.definitions.map((d) => d.file) },
  };
}

/** What the site build needs to know. */
export interface SiteBuildSpec {
  readonly directory: string;
  readonly installCommand: string;
  readonly buildCommand: string;
  readonly outputDirectory: string;
  readonly nodeVersion: string;
}

/** Builds the SPA once; the output directory becomes the artifact every environment publishes. */
export function siteBuildSpec(spec: SiteBuildSpec): { [key: string]: unknown } {
  return {
    version: '0.2',
    phases: {
      install: { 'runtime-versions': { nodejs: spec.nodeVersion } },
      build: { commands: [`cd ${spec.directory}`, spec.installCommand, spec.buildCommand] },
    },
    artifacts: { 'base-directory': `${spec.directory}/${spec.outputDirectory}`, 'files': ['**/*'] },
  };
}

/**
 * Publishes the built site to one environment's bucket and invalidates its distribution. Hashed
 * assets first and `index.html` last with `no-cache`, so no visitor loads an index that points at
 * assets not uploaded yet.
 */
export function publishBuildSpec(): { [key: string]: unknown } {
  return {
    version: '0.2',
    phases: {
      build: {
        commands: [
          'aws s3 sync . "s3://$SITE_BUCKET" --delete --exclude index.html',
          'aws s3 cp index.html "s3://$SITE_BUCKET/index.html" --cache-control "no-cache"',
          'aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" --paths "/*"',
        ],
      },
    },
  };
}

/** Calls the URLs users call, through the real front door, until they answer 2xx (or gives up). */
export function smokeBuildSpec(): { [key: string]: unknown } {
  const probe = (variable: string) =>
    `if [ -n "$${variable}" ]; then curl --fail --silent --show-error --output /dev/null --max-time 10 --retry 12 --retry-delay 5 --retry-all-errors "$${variable}"; fi`;
  return {
    version: '0.2',
    phases: { build: { commands: [probe('HEALTH_URL'), probe('SITE_URL')] } },
  };
}
