/** How the container image is built. */
export interface ImageBuildOptions {
  /**
   * The docker build context, relative to the repository root.
   *
   * @default '.'
   */
  readonly directory?: string;
  /**
   * The Dockerfile, relative to the repository root.
   *
   * @default 'Dockerfile'
   */
  readonly dockerfile?: string;
}

/** How the SPA is built. */
export interface SiteBuildOptions {
  /**
   * The SPA's directory, relative to the repository root.
   *
   * @default 'web'
   */
  readonly directory?: string;
  /**
   * Installs the dependencies.
   *
   * @default 'npm ci'
   */
  readonly installCommand?: string;
  /**
   * Builds the site.
   *
   * @default 'npm run build'
   */
  readonly buildCommand?: string;
  /**
   * Where the build writes the site, relative to `directory`.
   *
   * @default 'dist'
   */
  readonly outputDirectory?: string;
  /**
   * The Node.js major version of the build image.
   *
   * @default '20'
   */
  readonly nodeVersion?: string;
}
