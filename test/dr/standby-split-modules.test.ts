import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { fixture, Fixture, runbookDefinition } from './fakes';
import { PilotLightDr } from '../../src/dr';
import { ModularMonolithService, ServiceImage } from '../../src/service';
import { expectCompliant } from '../helpers/compliance';

/** A primary with two modules, `billing` split into its own service with its own size and command. */
function primaryWithSplit(f: Fixture): ModularMonolithService {
  return new ModularMonolithService(f.primary, 'Api', {
    vpc: f.vpc,
    image: ServiceImage.fromEcrRepository(new ecr.Repository(f.primary, 'AppRepo'), 'v1'),
    modules: [{ name: 'orders', path: '/orders/*' }, { name: 'billing', path: '/billing/*' }],
    splitModules: [{ module: 'billing', cpu: 1024, memoryLimitMiB: 2048, command: ['billing-worker'] }],
    environment: { FEATURE: 'on' },
  });
}

describe('split modules in the standby', () => {
  test('each split module gets a standby service at zero tasks with the same container definition', () => {
    // GIVEN a primary with a split module
    const f = fixture();
    const service = primaryWithSplit(f);
    // WHEN
    const dr = new PilotLightDr(f.primary, 'Dr', { service, database: f.database, drStack: f.drStack });
    // THEN the module's standby copies its task definition: size, container name, command, variables, user
    expect(Object.keys(dr.standby.moduleServices)).toEqual(['billing']);
    const t = Template.fromStack(f.drStack);
    t.resourcePropertiesCountIs('AWS::ECS::Service', { DesiredCount: 0 }, 2);
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '1024',
      Memory: '2048',
      ContainerDefinitions: Match.arrayWith([Match.objectLike({
        Name: 'billing',
        Command: ['billing-worker'],
        User: Match.anyValue(),
        Environment: Match.arrayWith([{ Name: 'FEATURE', Value: 'on' }, Match.objectLike({ Name: 'PGHOST' })]),
      })]),
    });
    // it runs the replicated monolith image, as the main standby does
    const billing = dr.standby.moduleTaskDefinitions.billing.findContainer('billing')!;
    expect(dr.drStack.resolve(billing.imageName)).toEqual(dr.drStack.resolve(dr.standby.taskDefinition.findContainer('app')!.imageName));
    // registered in the standby namespace under the module's name, reached by the module's routes
    t.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: 'billing' });
    t.resourceCountIs('AWS::ApiGatewayV2::Integration', 2);
    t.resourceCountIs('AWS::ApiGatewayV2::Route', 5);
    // the module reaches the replica
    t.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', { FromPort: 5432, Description: 'DR service to replica' }, 2);
    expectCompliant(f.drStack);
    expectCompliant(f.primary.node.findChild('Dr'));
  });

  test('the module routes lead to the module standby, the others to the main standby', () => {
    const f = fixture();
    const dr = new PilotLightDr(f.primary, 'Dr', { service: primaryWithSplit(f), database: f.database, drStack: f.drStack });
    const t = Template.fromStack(f.drStack);
    const integrations = t.findResources('AWS::ApiGatewayV2::Integration');
    const billingIntegration = Object.keys(integrations).find((id) => id.includes('BillingIntegration'))!;
    expect(billingIntegration).toBeDefined();
    for (const key of ['ANY /billing', 'ANY /billing/{proxy+}']) {
      t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, Target: { 'Fn::Join': ['', ['integrations/', { Ref: billingIntegration }]] } });
    }
    for (const key of ['$default', 'ANY /orders']) {
      t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, Target: { 'Fn::Join': ['', ['integrations/', { Ref: Match.stringLikeRegexp('AppIntegration') }]] } });
    }
    expect(dr.standby.moduleServices.billing).toBeDefined();
  });

  test('the runbook scales the module standbys up on failover, and the readiness check compares them', () => {
    // GIVEN
    const f = fixture();
    const service = primaryWithSplit(f);
    // WHEN
    const dr = new PilotLightDr(f.primary, 'Dr', { service, database: f.database, drStack: f.drStack, failoverDesiredCount: 2 });
    // THEN the failover branch scales the main standby, then the module's, then waits
    const states = runbookDefinition(dr.drStack).States;
    expect(states.ScaleUpDrService.Next).toBe('ScaleUpDrModuleBilling');
    expect(states.ScaleUpDrModuleBilling.Parameters).toMatchObject({ DesiredCount: 2, ForceNewDeployment: true });
    expect(dr.runbook.stateMachine).toBeInstanceOf(sfn.StateMachine);
    // the readiness check knows the module: the primary's module service and the standby's copy
    const t = Template.fromStack(f.drStack);
    const fn = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('readiness') } }))[0];
    const modules = JSON.stringify(dr.drStack.resolve(fn.Properties.Environment.Variables.MODULES));
    expect(modules).toContain('billing');
    expect(modules).toContain(dr.drStack.resolve(dr.standby.moduleTaskDefinitions.billing.family));
    // and may describe the primary's module service
    const readinessPolicy = Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.includes('ReadinessCheck'))![1];
    const describe = (readinessPolicy.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>)
      .find((st) => st.Action === 'ecs:DescribeServices');
    expect(describe?.Resource).toHaveLength(2);
  });

  test('a primary without split modules gets none', () => {
    const f = fixture();
    const dr = new PilotLightDr(f.primary, 'Dr', { service: f.service, database: f.database, drStack: f.drStack });
    expect(dr.standby.moduleServices).toEqual({});
    const states = runbookDefinition(dr.drStack).States;
    expect(states.ScaleUpDrService.Next).toBe('WaitForDrTasks');
  });
});
