/**
 * A jest environment that keeps one CloudFormation validation engine per jest worker.
 *
 * aws-cdk-lib's built-in CloudFormation validation (`@aws/cloudformation-validate`, an 8 MB WASM
 * rule engine) takes seconds to compile, build and warm up; tens of seconds on a busy 2-core
 * machine. Jest gives every test file a fresh module registry, so each test file used to pay that
 * start-up again. This environment loads the module once in the worker's own realm and builds the
 * default-rules engine once; `validation-setup.ts` hands both to aws-cdk-lib in every test file.
 * The rules and the results are unchanged.
 */
import { TestEnvironment as NodeEnvironment } from 'jest-environment-node';

/** What aws-cdk-lib uses of `@aws/cloudformation-validate`. */
interface ValidateModule {
  readonly RegoEngine: new (config: object) => object;
  readonly [name: string]: unknown;
}

/** Where aws-cdk-lib finds the module (it is aws-cdk-lib's own dependency). */
export const VALIDATE_MODULE_PATH = require.resolve('@aws/cloudformation-validate', {
  paths: [require.resolve('aws-cdk-lib/package.json').replace(/package\.json$/, '')],
});

let shared: ValidateModule | undefined;

/** The module, loaded once per worker, whose default-rules engine is built once per worker. */
function sharedModule(): ValidateModule {
  if (shared) return shared;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const real = require(VALIDATE_MODULE_PATH) as ValidateModule;
  let defaultEngine: object | undefined;
  const RegoEngine = function (config: object = {}): object {
    // aws-cdk-lib builds its default plugin with `{}`; user rules get an engine of their own.
    if (Object.keys(config).length > 0) return new real.RegoEngine(config);
    defaultEngine = defaultEngine ?? new real.RegoEngine(config);
    return defaultEngine;
  } as unknown as ValidateModule['RegoEngine'];
  shared = { ...real, RegoEngine };
  return shared;
}

export default class ValidationEnvironment extends NodeEnvironment {
  async setup(): Promise<void> {
    await super.setup();
    this.global.__leanStackValidation = { path: VALIDATE_MODULE_PATH, load: sharedModule };
  }
}
