/**
 * Stands in for `@aws/cloudformation-validate` in every test file (jest `moduleNameMapper`): the
 * module and default-rules engine the jest worker built once (see `validation-environment.ts`),
 * or the real module when a test runs under another environment.
 */
interface SharedValidation {
  readonly path: string;
  readonly load: () => object;
}

const shared = (globalThis as { __leanStackValidation?: SharedValidation }).__leanStackValidation;

export = shared
  ? shared.load()
  : jest.requireActual<object>(require.resolve('@aws/cloudformation-validate', {
    paths: [require.resolve('aws-cdk-lib/package.json').replace(/package\.json$/, '')],
  }));
