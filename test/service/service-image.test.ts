import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { stackWithVpc } from './fixtures';
import { ModularMonolithService, Profile, ServiceImage, ServiceImageSource } from '../../src';

function build(imageOf: (stack: Stack) => ServiceImage, extra: { spot?: boolean } = {}) {
  const { stack, vpc } = stackWithVpc();
  const image = imageOf(stack);
  const service = new ModularMonolithService(stack, 'Api', { vpc, image, ...(extra.spot ? { spot: true, profile: Profile.DEVELOPMENT } : {}) });
  return { stack, service, template: Template.fromStack(stack) };
}

describe('ServiceImage', () => {
  test('from an ECR repository, pinned tag, pull permission for the execution role', () => {
    // GIVEN
    let repository: ecr.IRepository | undefined;
    // WHEN
    const { service, template } = build((stack) => {
      repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');
      return ServiceImage.fromEcrRepository(repository, 'v1.2.3');
    });
    // THEN
    expect(service.imageRepository).toBe(repository);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Image: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/api:v1.2.3')])] } })],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['ecr:BatchGetImage']) })]) },
    });
  });

  test('from a public registry', () => {
    const image = ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
    expect(image.source).toBe(ServiceImageSource.PUBLIC_REGISTRY);
    const { service, template } = build(() => image);
    expect(service.imageRepository).toBeUndefined();
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { ContainerDefinitions: [Match.objectLike({ Image: 'public.ecr.aws/nginx/nginx:1.27' })] });
  });

  test('from a private registry with credentials from Secrets Manager', () => {
    const { template } = build((stack) => ServiceImage.fromPrivateRegistry('ghcr.io/acme/api:1.0',
      secretsmanager.Secret.fromSecretCompleteArn(stack, 'Token', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ghcr-AbCdEf')));
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Image: 'ghcr.io/acme/api:1.0',
        RepositoryCredentials: { CredentialsParameter: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ghcr-AbCdEf' },
      })],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:ghcr-AbCdEf' })]) },
    });
  });

  test('from a local Dockerfile, built for the task architecture', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-image-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
    const image = ServiceImage.fromAsset(dir);
    expect(image.source).toBe(ServiceImageSource.ASSET);
    // ecs.AssetImage keeps its props private, and binding it would build the asset: read them structurally.
    type AssetImage = { props: ecs.AssetImageProps };
    const arm = image._containerImage(ecs.CpuArchitecture.ARM64) as unknown as AssetImage;
    const x86 = image._containerImage(ecs.CpuArchitecture.X86_64) as unknown as AssetImage;
    expect(arm.props.platform!.platform).toBe('linux/arm64');
    expect(x86.props.platform!.platform).toBe('linux/amd64');
    const { template } = build(() => image);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Image: { 'Fn::Sub': Match.stringLikeRegexp('cdk-hnb659fds-container-assets') } })],
    });
  });

  describe('refuses an image name or tag that no registry serves', () => {
    const reference = "an image reference '[registry/]repository[:tag]' with a lower-case repository and a non-empty tag, e.g. 'public.ecr.aws/nginx/nginx:1.27'";
    test.each([
      ['', `\`image (name)\` must be ${reference}, got: ''`],
      ['public.ecr.aws/acme/api:', `\`image (name)\` must be ${reference}, got: 'public.ecr.aws/acme/api:'`],
      ['Acme/API:1.0', `\`image (name)\` must be ${reference}, got: 'Acme/API:1.0'`],
      ['acme/api 1.0', `\`image (name)\` must be ${reference}, got: 'acme/api 1.0'`],
    ])('fromRegistry(%j)', (name, message) => {
      expect(() => build(() => ServiceImage.fromRegistry(name))).toThrow(message);
    });

    test.each([
      'nginx',
      'nginx:1.27-alpine',
      'public.ecr.aws/nginx/nginx:1.27',
      'localhost:5000/team/app:v1.2.3',
      'ghcr.io/acme/api@sha256:' + 'a'.repeat(64),
      '111111111111.dkr.ecr.eu-west-1.amazonaws.com/api:2024.10.01',
    ])('accepts %j', (name) => {
      expect(() => build(() => ServiceImage.fromRegistry(name))).not.toThrow();
    });

    test('an empty tag of an ECR repository', () => {
      expect(() => build((stack) => ServiceImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), '')))
        .toThrow("`image (tag)` must be a Docker tag (letters, digits, '_', '.', '-'; at most 128) or a 'sha256:' digest, e.g. 'v1.2.3', got: ''");
    });

    test('an empty name of a private registry image', () => {
      expect(() => build((stack) => ServiceImage.fromPrivateRegistry('', secretsmanager.Secret.fromSecretNameV2(stack, 'Creds', 'ghcr'))))
        .toThrow(`\`image (name)\` must be ${reference}, got: ''`);
    });

    test('an empty name of a split module\'s image, by its prop', () => {
      const { stack, vpc } = stackWithVpc();
      expect(() => new ModularMonolithService(stack, 'Api', {
        vpc,
        image: ServiceImage.fromRegistry('acme/api:1.0'),
        modules: [{ name: 'orders', path: '/orders/*' }],
        splitModules: [{ module: 'orders', image: ServiceImage.fromRegistry('acme/orders:') }],
      })).toThrow(`\`splitModules[0].image (name)\` must be ${reference}, got: 'acme/orders:'`);
    });
  });
});
