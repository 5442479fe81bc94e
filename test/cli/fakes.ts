import { CloudFormationClient, GetTemplateCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { CliContext } from '../../src/cli/context';

/** A fake terminal and clock: what the CLI printed, the programs it ran, and time that passes on sleep. */
export interface FakeTerminal {
  readonly ctx: CliContext;
  readonly out: string[];
  readonly err: string[];
  readonly runs: Array<{ command: string; args: string[] }>;
  readonly controller: AbortController;
  /** What `run` resolves with (or throws). */
  runResult: number | Error;
  /** Called on every sleep, e.g. to abort after a number of polls. */
  onSleep?: (sleeps: number) => void;
}

export const START = Date.parse('2026-11-21T12:00:00Z');

export function fakeTerminal(cwd = '/nonexistent'): FakeTerminal {
  let now = START;
  let sleeps = 0;
  const controller = new AbortController();
  const t: FakeTerminal = {
    out: [],
    err: [],
    runs: [],
    controller,
    runResult: 0,
    ctx: {
      out: (line) => t.out.push(line),
      err: (line) => t.err.push(line),
      sleep: async (ms) => { now += ms; sleeps += 1; t.onSleep?.(sleeps); },
      now: () => now,
      cwd,
      signal: controller.signal,
      run: async (command, args) => {
        t.runs.push({ command, args });
        if (t.runResult instanceof Error) throw t.runResult;
        return t.runResult;
      },
    },
  };
  return t;
}

/** A resource of a fake deployed stack. */
export interface FakeResource {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
  readonly tags?: { [key: string]: string };
}

/**
 * Fakes CloudFormation so that `stackName` is deployed with these resources (their tags in the
 * template, as the CDK writes them); any other stack does not exist.
 */
export function fakeStacks(stacks: { [stackName: string]: FakeResource[] }) {
  const cfn = mockClient(CloudFormationClient);
  cfn.on(GetTemplateCommand).rejects(Object.assign(new Error('Stack with id Unknown does not exist'), { name: 'ValidationError' }));
  for (const [stackName, resources] of Object.entries(stacks)) {
    const template = {
      Resources: Object.fromEntries(resources.map((r) => [r.logicalId, {
        Type: r.type,
        Properties: r.tags ? { Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })) } : {},
      }])),
    };
    cfn.on(GetTemplateCommand, { StackName: stackName }).resolves({ TemplateBody: JSON.stringify(template) });
    cfn.on(ListStackResourcesCommand, { StackName: stackName }).resolves({
      StackResourceSummaries: resources.map((r) => ({
        LogicalResourceId: r.logicalId,
        ResourceType: r.type,
        PhysicalResourceId: r.physicalId,
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: new Date(START),
      })),
    });
  }
  return cfn;
}

/** Makes CloudFormation fail as the SDK does when no credentials are found. */
export function noCredentials() {
  const cfn = mockClient(CloudFormationClient);
  cfn.onAnyCommand().rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
  return cfn;
}

/** The role tag the constructs set. */
export function role(value: string, extra: { [key: string]: string } = {}): { [key: string]: string } {
  return { 'cdk-lean-stack:role': value, ...extra };
}

/** Resets each mocked AWS client before every test of the file, so no test sees another's answers. */
export function resetBeforeEach(...mocks: Array<{ reset(): unknown }>): void {
  beforeEach(() => mocks.forEach((m) => m.reset()));
}
