import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { CONNECTION, ReleaseApp, releaseApp } from './fixtures';
import { IdleCostEstimate, ReleaseFlow, ReleasePipeline, ReleaseSource } from '../../src';
import { expectCompliant } from '../helpers/compliance';

interface Action {
  Name: string;
  RunOrder: number;
  ActionTypeId: { Category: string; Provider: string };
  InputArtifacts?: Array<{ Name: string }>;
  OutputArtifacts?: Array<{ Name: string }>;
  Configuration?: { [key: string]: unknown };
}
interface StageJson { Name: string; Actions: Action[] }

function pipelines(stack: Stack): Array<{ id: string; stages: StageJson[]; props: { [key: string]: unknown } }> {
  const found = Template.fromStack(stack).findResources('AWS::CodePipeline::Pipeline');
  return Object.entries(found).map(([id, r]) => ({ id, stages: r.Properties.Stages as StageJson[], props: r.Properties }));
}
const inOrder = (stage: StageJson) => [...stage.Actions].sort((a, b) => a.RunOrder - b.RunOrder);

describe('ReleasePipeline over dev, UAT and prod (trunk)', () => {
  let r: ReleaseApp;
  let stages: StageJson[];
  beforeAll(() => {
    // GIVEN a shared stack, three environment stacks and a release stack, WHEN synthesized
    r = releaseApp();
    const all = pipelines(r.releaseStack);
    expect(all).toHaveLength(1);
    stages = all[0].stages;
  });

  test('stages run build -> dev -> uat -> approval -> prod, each environment migrate, deploy, publish, smoke', () => {
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Build', 'dev', 'uat', 'Approve-prod', 'prod']);
    for (const name of ['dev', 'uat', 'prod']) {
      const stage = stages.find((s) => s.Name === name)!;
      expect(inOrder(stage).map((a) => [a.Name, a.RunOrder])).toEqual([['Migrate', 1], ['Deploy', 2], ['Publish', 3], ['Smoke', 4]]);
    }
    expect(stages[4].Actions.map((a) => a.ActionTypeId.Category)).toEqual(['Approval']);
  });

  test('every deploy takes the image definitions written by a build action of the same pipeline execution', () => {
    const buildOutputs = new Map(stages[1].Actions.flatMap((a) => (a.OutputArtifacts ?? []).map((o) => [o.Name, a] as const)));
    for (const name of ['dev', 'uat', 'prod']) {
      const deploy = stages.find((s) => s.Name === name)!.Actions.find((a) => a.Name === 'Deploy')!;
      expect(deploy.ActionTypeId).toMatchObject({ Category: 'Deploy', Provider: 'ECS' });
      const input = deploy.InputArtifacts!.map((i) => i.Name);
      expect(input).toHaveLength(1);
      const producer = buildOutputs.get(input[0])!;
      expect(producer.ActionTypeId.Provider).toBe('CodeBuild');
      expect(deploy.Configuration!.FileName).toBe(`imagedefinitions-${name}.json`);
      // the producing build writes exactly that file
      const projectId = (producer.Configuration!.ProjectName as { Ref: string }).Ref;
      const spec = JSON.stringify(Template.fromStack(r.releaseStack).toJSON().Resources[projectId].Properties.Source.BuildSpec);
      expect(spec).toContain(`imagedefinitions-${name}.json`);
    }
  });

  test('no deploy precedes its environment\'s migration, and the migration is the environment\'s own build', () => {
    stages.forEach((stage, i) => {
      const deploy = stage.Actions.find((a) => a.Name === 'Deploy');
      if (!deploy) return;
      const migrate = stage.Actions.find((a) => a.Name === 'Migrate')!;
      expect(migrate.RunOrder).toBeLessThan(deploy.RunOrder);
      expect(stages.slice(0, i).some((s) => s.Actions.some((a) => a.Name === 'Deploy' && s.Name === stage.Name))).toBe(false);
    });
    const env = r.envs.find((e) => e.release.name === 'uat')!;
    const migrate = stages.find((s) => s.Name === 'uat')!.Actions.find((a) => a.Name === 'Migrate')!;
    expect(JSON.stringify(migrate.Configuration!.ProjectName)).toContain('Uat');
    expect(env.release.migration).toBeDefined();
  });

  test('the image is built natively on ARM with docker, tagged with the commit id, never latest', () => {
    const t = Template.fromStack(r.releaseStack);
    const projects = t.findResources('AWS::CodeBuild::Project', { Properties: { Environment: { PrivilegedMode: true } } });
    expect(Object.keys(projects)).toHaveLength(1);
    const project = Object.values(projects)[0].Properties;
    expect(project.Environment).toMatchObject({ Type: 'ARM_CONTAINER', Image: 'aws/codebuild/amazonlinux-aarch64-standard:3.0' });
    const spec = String(project.Source.BuildSpec);
    expect(spec).toContain('docker build --platform linux/arm64');
    expect(spec).toContain('export IMAGE_TAG=\\"$COMMIT_ID\\"');
    expect(spec).not.toMatch(/latest/);
    const image = stages[1].Actions.find((a) => a.Name === 'Image-arm64')!;
    expect(JSON.parse(String(image.Configuration!.EnvironmentVariables))).toEqual([
      { name: 'COMMIT_ID', type: 'PLAINTEXT', value: '#{Source_Source_NS.CommitId}' },
    ]);
    expect(JSON.stringify(Template.fromStack(r.releaseStack).toJSON())).not.toMatch(/:latest/);
  });

  test('a pipeline V2 in queued mode; a failed release tells the topic', () => {
    const [p] = pipelines(r.releaseStack);
    expect(p.props).toMatchObject({ PipelineType: 'V2', ExecutionMode: 'QUEUED' });
    Template.fromStack(r.releaseStack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.codepipeline'], 'detail': { state: ['FAILED'] }, 'detail-type': ['CodePipeline Pipeline Execution State Change'] },
    });
  });

  test('idles at 0: no monthly fee for V2, CodeBuild and storage billed by use', () => {
    const estimate = IdleCostEstimate.ofStack(r.releaseStack);
    const pipelineItem = estimate.items.find((i) => i.resourceType === 'AWS::CodePipeline::Pipeline')!;
    expect(pipelineItem).toMatchObject({ monthlyUsd: 0, usagePriced: true });
    expect(pipelineItem.description + (pipelineItem.note ?? '')).toMatch(/no monthly fee/);
    expect(estimate.items.filter((i) => i.resourceType === 'AWS::CodeBuild::Project').every((i) => i.usagePriced && i.monthlyUsd === 0)).toBe(true);
    expect(estimate.totalMonthlyUsd).toBe(0);
    const repo = IdleCostEstimate.ofStack(r.shared).items.find((i) => i.resourceType === 'AWS::ECR::Repository')!;
    expect(repo).toMatchObject({ monthlyUsd: 0, usagePriced: true });
  });

  test('no outputs unless asked; addOutputs() prints the pipeline, API and site URLs, bucket and distribution', () => {
    expect(Template.fromStack(r.releaseStack).toJSON().Outputs ?? {}).toEqual({});
    const withOutputs = releaseApp();
    withOutputs.pipeline.addOutputs();
    const json = Template.fromStack(withOutputs.releaseStack).toJSON();
    const outputs = Object.values(json.Outputs as { [k: string]: { Description: string } }).map((o) => o.Description);
    expect(outputs).toEqual(expect.arrayContaining(['Release pipeline', 'API URL (dev)', 'Site URL (prod)', 'Site bucket (uat)', 'CloudFront distribution id (prod)']));
  });

  test('every stack is compliant (three cdk-nag packs, CloudFormation validation)', () => {
    for (const stack of [r.shared, ...r.envs, r.releaseStack]) expectCompliant(stack);
  });
});

describe('ReleasePipeline variants', () => {
  test('environments on two architectures: one native build each, tags suffixed, each deploy takes its own', () => {
    const r = releaseApp({ devArchitecture: ecs.CpuArchitecture.X86_64 });
    const [p] = pipelines(r.releaseStack);
    expect(p.stages[1].Actions.map((a) => a.Name).sort()).toEqual(['Image-amd64', 'Image-arm64', 'Site']);
    const input = (env: string) => p.stages.find((s) => s.Name === env)!.Actions.find((a) => a.Name === 'Deploy')!.InputArtifacts![0].Name;
    expect([input('dev'), input('uat'), input('prod')]).toEqual(['Imageamd64', 'Imagearm64', 'Imagearm64']);
    const t = Template.fromStack(r.releaseStack);
    t.hasResourceProperties('AWS::CodeBuild::Project', { Environment: { Type: 'LINUX_CONTAINER', Image: 'aws/codebuild/standard:7.0', PrivilegedMode: true } });
    const docker = t.findResources('AWS::CodeBuild::Project', { Properties: { Environment: { PrivilegedMode: true } } });
    const specs = Object.values(docker).map((x) => String(x.Properties.Source.BuildSpec));
    expect(specs.some((s) => s.includes('$COMMIT_ID-amd64') && s.includes('linux/amd64'))).toBe(true);
    expect(specs.some((s) => s.includes('$COMMIT_ID-arm64') && s.includes('linux/arm64'))).toBe(true);
  });

  test('a branch per environment: one pipeline per environment from its branch, prod still approved', () => {
    const r = releaseApp({ flow: ReleaseFlow.branchPerEnvironment() });
    const all = pipelines(r.releaseStack);
    expect(all).toHaveLength(3);
    const summary = all.map((p) => [p.stages[0].Actions[0].Configuration!.BranchName, p.stages.map((s) => s.Name)]);
    expect(summary).toEqual(expect.arrayContaining([
      ['dev', ['Source', 'Build', 'dev']],
      ['uat', ['Source', 'Build', 'uat']],
      ['main', ['Source', 'Build', 'Approve-prod', 'prod']],
    ]));
  });
});

describe('ReleasePipeline refuses bad input by name', () => {
  const r = releaseApp();
  const base = { artifacts: r.artifacts, environments: r.envs.map((e) => e.release) };
  const source = (connectionArn: string, repository = 'my-org/my-app') => ReleaseSource.connection({ connectionArn, repository });
  const cases: Array<[string, () => void, string]> = [
    ['a connection ARN of another service', () => new ReleasePipeline(r.releaseStack, 'A', { ...base, source: source('arn:aws:iam::111111111111:role/x') }),
      "`source.connectionArn` must be the ARN of a CodeConnections connection (arn:aws:codeconnections:<region>:<account>:connection/<id>), got: 'arn:aws:iam::111111111111:role/x'"],
    ['a repository without owner', () => new ReleasePipeline(r.releaseStack, 'B', { ...base, source: source(CONNECTION, 'my-app') }),
      "`source.repository` must be 'owner/name' of a repository, got: 'my-app'"],
    ['no environments', () => new ReleasePipeline(r.releaseStack, 'C', { ...base, environments: [], source: source(CONNECTION) }),
      '`environments` must list at least one ReleaseEnvironment, in promotion order, got: []'],
    ['the same environment twice', () => new ReleasePipeline(r.releaseStack, 'D', { ...base, environments: [r.envs[0].release, r.envs[0].release], source: source(CONNECTION) }),
      "`environments` must have distinct names, got: 'dev' twice"],
    ['a wildcard trunk', () => new ReleasePipeline(r.releaseStack, 'E', { ...base, flow: ReleaseFlow.trunk('release/*'), source: source(CONNECTION) }),
      "`flow.branch` must be an exact git branch name (no spaces, :, *, ?, ~, ^ or \\), got: 'release/*'"],
    ['a Dockerfile path with spaces', () => new ReleasePipeline(r.releaseStack, 'F', { ...base, image: { dockerfile: 'my file' }, source: source(CONNECTION) }),
      "`image.dockerfile` must be a relative path of letters, digits, ., _, / or -, got: 'my file'"],
  ];
  test.each(cases)('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
