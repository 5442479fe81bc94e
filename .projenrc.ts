import * as fs from 'fs';
import { awscdk, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

/**
 * aws-cdk-lib minimum. 2.258.0 added `Validations.of(scope).acknowledge()`, the
 * API our constructs use to acknowledge deliberate cdk-nag trade-offs at the
 * resource; 2.262.0 is the first release with the built-in CloudFormation
 * validation that our compliance tests hold every construct to. Earlier
 * releases would widen the audience but could not run the same checks, so
 * we test against the minimum we declare.
 */
const CDK_VERSION = '2.262.0';

/** Silences jsii's Node 20 end-of-life banner, which otherwise floods every build log. */
const JSII_ENV = { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-lean-stack',
  description:
    'Cost-conscious, secure-by-default AWS CDK constructs for a small team: static SPA, modular monolith on Fargate, PostgreSQL, private migrations, SLOs and pilot-light DR.',
  author: 'cdk-lean-stack maintainers',
  authorAddress: 'maintainers@cdk-lean-stack.dev',
  repositoryUrl: 'https://github.com/cdk-lean-stack/cdk-lean-stack.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'aws-cdk', 'awscdk', 'fargate', 'cloudfront', 'postgresql', 'finops', 'cdk-nag', 'disaster-recovery'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  cdkVersion: CDK_VERSION,
  jsiiVersion: '~6.0.0',
  constructsVersion: '10.5.1',
  // aws-cdk@latest is 3.x, which cannot read this aws-cdk-lib's cloud assembly: stay on 2.x.
  cdkCliVersion: '^2',

  // Nothing is released yet and the API still moves (0.x): say so on every registry. jsii marks
  // the Python wheel "Development Status :: 4 - Beta" and the docs "experimental" from this.
  stability: 'experimental',
  // aws-cdk-lib 2.262 depends on @aws/cloudformation-validate, which declares Node.js ^22.15.0.
  minNodeVersion: '22.15.0',
  workflowNodeVersion: '22.x',

  // Publishing targets. Their names are part of our public contract. Maven Central admits a
  // `io.github.<owner>` group only to the owner of github.com/<owner>: ours is cdk-lean-stack.
  publishToPypi: { distName: 'cdk-lean-stack', module: 'cdk_lean_stack' },
  publishToMaven: {
    javaPackage: 'io.github.cdkleanstack',
    mavenGroupId: 'io.github.cdk-lean-stack',
    mavenArtifactId: 'cdk-lean-stack',
  },
  publishToNuget: { dotNetNamespace: 'CdkLeanStack', packageId: 'CdkLeanStack' },
  publishToGo: { moduleName: 'github.com/cdk-lean-stack/cdk-lean-stack-go', packageName: 'cdkleanstack' },

  // Releases: projen's workflows for GitHub Actions build, then publish to npm, PyPI, Maven
  // Central, NuGet and the Go module repository. Versions come from conventional commits
  // (feat: minor, fix: patch while we are at 0.x) and each release writes the CHANGELOG.
  // They cannot run on this project's own machines (no registry but npm's is reachable there);
  // `.ci/run` is the check every landing passes.
  github: true,
  githubOptions: { mergify: false, pullRequestLint: true },
  release: true,
  releaseToNpm: true,
  depsUpgrade: false,
  // The offline Python packaging (scripts/package-python.sh) uses Debian's build tools.
  workflowBootstrapSteps: [
    {
      name: 'Debian packages for the Python wheel',
      run: 'sudo apt-get update -qq && sudo apt-get install -y -qq python3-build python3-setuptools python3-wheel twine',
    },
  ],

  tsconfigDevFile: 'tsconfig.dev.json',
  // The type-aware lint rules read the dev tsconfig, which also covers tests, examples and bench.
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'bench'], tsconfigPath: './tsconfig.dev.json', projectService: false },
  tsconfigDev: { include: ['.projenrc.ts', 'examples/**/*.ts', 'bench/**/*.ts'] },
  jestOptions: {
    // Snapshots are a review gate: never rewrite them silently.
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 120_000,
      // The reference app and synth-heavy tests are CPU bound; two workers fit two cores.
      maxWorkers: 2,
      // aws-cdk-lib's CloudFormation validation engine (WASM) takes seconds to build and warm up.
      // Jest gives each test file fresh modules, so the engine is built once per worker instead
      // (test/helpers/validation-environment.ts); the rules and results are the same.
      testEnvironment: '<rootDir>/test/helpers/validation-environment.ts',
      moduleNameMapper: { '^@aws/cloudformation-validate$': '<rootDir>/test/helpers/shared-cloudformation-validate.ts' },
    },
  },
  devDeps: [
    'cdk-nag@3.0.2',
    'aws-sdk-client-mock@^4',
    '@aws-sdk/client-rds@^3',
    '@aws-sdk/client-sns@^3',
    '@aws-sdk/client-ecr@^3',
    'java-parser@^2',
    // the jest environment that builds the CloudFormation validation engine once per worker
    'jest-environment-node@^30',
    // The EKS family's tests and example: a kubectl layer for the cluster's kubectl handler, and
    // typed Kubernetes models whose validate() checks manifests against the Kubernetes API schemas.
    '@aws-cdk/lambda-layer-kubectl-v35@^2',
    'kubernetes-models@^5',
    // parses the documented GitHub Actions release workflow in the tests
    'yaml@^2',
    // AWS Control Tower's proactive controls (cfn-guard rules and binary), run over every construct
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
  ],
  // `npx cdk-lean-stack <command>`: the day-two CLI (src/cli/, not part of the jsii API). The AWS
  // SDK clients it calls ship inside the package, so it runs whatever language the app is in.
  bin: { 'cdk-lean-stack': 'lib/cli/main.js' },
  bundledDeps: [
    '@aws-sdk/client-auto-scaling@^3',
    '@aws-sdk/client-cloudformation@^3',
    '@aws-sdk/client-cloudwatch@^3',
    '@aws-sdk/client-cloudwatch-logs@^3',
    '@aws-sdk/client-codepipeline@^3',
    '@aws-sdk/client-ecs@^3',
    '@aws-sdk/client-secrets-manager@^3',
    '@aws-sdk/client-sfn@^3',
    '@aws-sdk/client-ssm@^3',
  ],
  gitignore: ['cdk.out', '/dist/', '.jsii.tabl.json', '__pycache__', '/bench/out'],
  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/bench/', '/.ci/', 'cdk.out', '/rosetta/', '/scripts/'] },
});

// --- Layout rules ------------------------------------------------------------------------------
// Each construct family (a folder of src/) keeps its internals in its own `private/`; only the family
// itself may import them, and src/private/ holds what two or more families share. The zones are
// derived from the folders, so a new family is covered without touching this file. Import cycles
// fail the lint step, which the test task runs.
const families = fs.readdirSync('src', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'private')
  .map((entry) => entry.name)
  .sort();
const privateZones = families.flatMap((owner) => [
  ...families.filter((other) => other !== owner).flatMap((other) => [
    { target: `./src/${other}`, from: `./src/${owner}/private` },
    { target: `./test/${other}`, from: `./src/${owner}/private` },
  ]),
  { target: './src/private', from: `./src/${owner}/private` },
  { target: './src/index.ts', from: `./src/${owner}/private` },
].map((zone) => ({ ...zone, message: `only the ${owner} family imports its private helpers; move what two families share to src/private/` })));
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', { zones: privateZones }],
  'import/no-cycle': ['error', { ignoreExternal: true }],
});

project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', JSII_ENV.JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION);


// Every README and docstring example must compile, so Python and Java users get working translations.
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile every README and docstring example with jsii-rosetta in strict mode',
  exec: 'jsii-rosetta extract --strict --compile --fail .jsii',
});
project.postCompileTask.spawn(rosetta);

// --- Packaging that works offline -------------------------------------------------------------
// pacmak's full python/java/dotnet/go packaging needs PyPI, Maven Central, NuGet and Go's proxy,
// none of which this project's machines reach. We generate every binding's code with pacmak,
// build the Python wheel and sdist with Debian's build tools, and parse the generated Java.
const bindings = project.addTask('package:bindings', {
  description: 'Generate Python, Java, .NET and Go bindings (code only)',
  exec: 'jsii-pacmak --code-only --targets python java dotnet go --outdir dist',
});
// The README with every example translated to Python by rosetta, committed so Python users can
// read it here; generated, like API.md, so a build after a README change updates it.
bindings.exec('mkdir -p docs && cp dist/python/README.md docs/README.python.md');
const python = project.addTask('package:python-offline', {
  description: 'Byte-compile the Python bindings, build a wheel and sdist with Debian tools, twine check',
  exec: 'bash scripts/package-python.sh',
});
const java = project.addTask('package:java-parse', {
  description: 'Parse every generated Java source file',
  exec: 'node scripts/parse-java.js dist/java',
});
const packageAll = project.tasks.tryFind('package-all')!;
packageAll.reset();
packageAll.spawn(project.tasks.tryFind('package:js')!);
packageAll.spawn(bindings);
packageAll.spawn(python);
packageAll.spawn(java);
// The same checks run with and without CI set.
const pkg = project.tasks.tryFind('package')!;
pkg.reset();
pkg.spawn(packageAll);

// --- The reference app and the benchmark ---------------------------------------------------------
project.addTask('example', {
  description: 'Synthesize the reference app into cdk.out/ (no AWS account needed) and print a summary (--details: cost items)',
  exec: 'ts-node --project tsconfig.dev.json --transpile-only examples/reference-app/main.ts',
  receiveArgs: true,
});

// The integ snapshot of the reference app: type checking is eslint's and tsc's job, so the synth
// runs transpile-only (about 2 s instead of 7.5 s).
for (const name of ['integ:reference-app:assert', 'integ:reference-app:snapshot']) {
  project.tasks.tryFind(name)?.env('TS_NODE_TRANSPILE_ONLY', 'true');
}
// The CDK CLI writes a performance-counters.json beside a synth that ran slowly (a busy machine):
// timings, not part of what users deploy, so the snapshot comparison leaves it out.
const integAssert = project.tasks.tryFind('integ:reference-app:assert');
if (integAssert) {
  integAssert.updateStep(2, {
    execArgs: [
      'diff', '-r', '-x', 'asset.*', '-x', 'cdk.out', '-x', 'manifest.json', '-x', 'tree.json', '-x', 'performance-counters.json',
      'test/reference-app.integ.snapshot/', 'test/.tmp/reference-app.integ/assert.cdk.out/',
    ],
  });
}
// The CDK CLI (integ tasks) writes cdk.context.json; the reference app pins its own context.
project.gitignore.exclude('/test/*.integ.snapshot/asset.*', '/test/*.integ.snapshot/performance-counters.json', '/test/.tmp/', '/cdk.context.json');

project.addTask('bench', {
  description: 'Synth times (reference app; 1, 10, 50 services) and idle cost against aws-cdk-lib defaults',
  exec: 'ts-node --project tsconfig.dev.json --transpile-only bench/main.ts',
});
project.addTask('diagram', {
  description: "Regenerate the README's reference architecture diagram from the synthesized app",
  exec: 'ts-node --project tsconfig.dev.json --transpile-only examples/reference-app/write-diagram.ts',
});

project.synth();
