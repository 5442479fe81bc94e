import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { fixture } from './fakes';
import { StandbyService } from '../../src/dr';
import { expectCompliant } from '../helpers/compliance';

function drVpc(f: ReturnType<typeof fixture>): ec2.Vpc {
  return new ec2.Vpc(f.drStack, 'DrVpc', { natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
}

describe('StandbyService used alone', () => {
  test('the primary task shape at zero tasks, the replicated repository at the given tag', () => {
    // GIVEN
    const f = fixture();
    // WHEN
    const standby = new StandbyService(f.drStack, 'Standby', {
      primary: f.service,
      vpc: drVpc(f),
      database: { host: 'db.internal', port: 5432, databaseName: 'app' },
      imageTag: 'v1',
      environment: { MODE: 'dr' },
    });
    // THEN
    const t = Template.fromStack(f.drStack);
    t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 0 });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '512',
      Memory: '1024',
      ContainerDefinitions: [Match.objectLike({
        Environment: Match.arrayWith([{ Name: 'MODE', Value: 'dr' }, { Name: 'PGHOST', Value: 'db.internal' }]),
        Image: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp(':v1$')])]) }),
      })],
    });
    expect(standby.imageTag).toBe('v1');
    expect(standby.repositoryName).toBeDefined();
  });

  test('runs the image it is given', () => {
    const f = fixture({ withRepository: false });
    const standby = new StandbyService(f.drStack, 'Standby', {
      primary: f.service,
      vpc: drVpc(f),
      database: { host: 'db.internal', port: 5432, databaseName: 'app' },
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1'),
    });
    Template.fromStack(f.drStack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Image: 'public.ecr.aws/nginx/nginx:1' })],
    });
    expect(standby.repositoryName).toBeUndefined();
    expectCompliant(standby);
  });

  test('refuses a primary without an ECR repository and no image', () => {
    const f = fixture({ withRepository: false });
    expect(() => new StandbyService(f.drStack, 'Standby', { primary: f.service, vpc: drVpc(f), database: { host: 'h', port: 5432, databaseName: 'app' } }))
      .toThrow('`image` is required when the primary service image does not come from an ECR repository, got: undefined');
  });
});
