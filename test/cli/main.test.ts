import { fakeTerminal } from './fakes';
import { run } from '../../src/cli/main';

describe('cdk-lean-stack', () => {
  test('--help lists every command', async () => {
    const t = fakeTerminal();
    expect(await run(['--help'], t.ctx)).toBe(0);
    for (const command of ['cost [cdk.out] [--max USD] [--stack NAME]', 'drill', 'tunnel', 'logs [--follow] [--module NAME]', 'status']) {
      expect(t.out[0]).toContain(`  ${command}`);
    }
  });

  test('no command prints the help and exits 1', async () => {
    const t = fakeTerminal();
    expect(await run([], t.ctx)).toBe(1);
    expect(t.out[0]).toMatch(/^Usage: cdk-lean-stack <command>/);
  });

  test('an unknown command or option says what is allowed', async () => {
    const t = fakeTerminal();
    expect(await run(['deploy'], t.ctx)).toBe(1);
    expect(t.err).toEqual(["Error: Unknown command 'deploy': use one of cost, drill, tunnel, logs, status (see --help)."]);
    const u = fakeTerminal();
    expect(await run(['status', '--stak', 'X'], u.ctx)).toBe(1);
    expect(u.err[0]).toMatch(/^Error: Unknown option '--stak'.*\(see --help\)$/);
  });
});
