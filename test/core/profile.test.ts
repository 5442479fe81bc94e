import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EgressKind, Profile } from '../../src';
import { resolveProfile } from '../../src/private/profile';

describe('Profile', () => {
  // The README's profile table, as data. A change here is a change users must read about.
  const table: Array<[string, Profile, Record<string, unknown>]> = [
    ['development', Profile.DEVELOPMENT, {
      production: false,
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
      multiAz: false,
      egress: EgressKind.NONE,
      logRetention: logs.RetentionDays.ONE_WEEK,
      backupDays: 1,
      flowLogs: false,
      accessLogs: false,
      spotAllowed: true,
      minTasks: 1,
      maxTasks: 2,
      containerInsights: false,
      dashboard: false,
    }],
    ['cost-conscious-production', Profile.COST_CONSCIOUS_PRODUCTION, {
      production: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      deletionProtection: true,
      multiAz: false,
      egress: EgressKind.NONE,
      logRetention: logs.RetentionDays.ONE_MONTH,
      backupDays: 7,
      flowLogs: true,
      accessLogs: true,
      spotAllowed: false,
      minTasks: 1,
      maxTasks: 4,
      containerInsights: false,
      dashboard: true,
    }],
    ['highly-available-production', Profile.HIGHLY_AVAILABLE_PRODUCTION, {
      production: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      deletionProtection: true,
      multiAz: true,
      egress: EgressKind.NAT_GATEWAY_PER_AZ,
      logRetention: logs.RetentionDays.ONE_YEAR,
      backupDays: 14,
      flowLogs: true,
      accessLogs: true,
      spotAllowed: false,
      minTasks: 2,
      maxTasks: 10,
      containerInsights: true,
      dashboard: true,
    }],
  ];

  test.each(table)('%s decides what the README table says', (name, profile, expected) => {
    expect(profile.name).toBe(name);
    expect({
      production: profile.production,
      removalPolicy: profile.removalPolicy,
      deletionProtection: profile.deletionProtection,
      multiAz: profile.multiAz,
      egress: profile.egress.kind,
      logRetention: profile.logRetention,
      backupDays: profile.backupRetention.toDays(),
      flowLogs: profile.flowLogs,
      accessLogs: profile.accessLogs,
      spotAllowed: profile.spotAllowed,
      minTasks: profile.minTasks,
      maxTasks: profile.maxTasks,
      containerInsights: profile.containerInsights,
      dashboard: profile.dashboard,
    }).toEqual(expected);
  });

  test('the default is cost-conscious production', () => {
    expect(resolveProfile(new Stack(), undefined)).toBe(Profile.COST_CONSCIOUS_PRODUCTION);
    expect(resolveProfile(new Stack(), Profile.DEVELOPMENT)).toBe(Profile.DEVELOPMENT);
  });

  test('withOverrides changes one decision and keeps the rest', () => {
    const custom = Profile.COST_CONSCIOUS_PRODUCTION.withOverrides({ multiAz: true });
    expect(custom.multiAz).toBe(true);
    expect(custom.removalPolicy).toBe(RemovalPolicy.SNAPSHOT);
    expect(custom.minTasks).toBe(1);
    expect(custom.name).toBe('cost-conscious-production+custom');
    // the original is untouched
    expect(Profile.COST_CONSCIOUS_PRODUCTION.multiAz).toBe(false);
    expect(custom.withOverrides({ minTasks: 2 }).name).toBe('cost-conscious-production+custom');
  });

  test('stores that cannot be snapshotted are retained in production', () => {
    expect(Profile.COST_CONSCIOUS_PRODUCTION.storeRemovalPolicy).toBe(RemovalPolicy.RETAIN);
    expect(Profile.DEVELOPMENT.storeRemovalPolicy).toBe(RemovalPolicy.DESTROY);
  });

  test('fromName finds each profile and rejects an unknown name', () => {
    const stack = new Stack(new App(), 'S');
    for (const name of ['development', 'cost-conscious-production', 'highly-available-production']) expect(Profile.fromName(stack, name).name).toBe(name);
    expect(() => Profile.fromName(stack, 'prod')).toThrow(
      "`profile` must be one of development, cost-conscious-production, highly-available-production, got: 'prod'",
    );
  });

  describe('every profile a construct is given is checked', () => {
    const stack = new Stack(new App(), 'S');
    test('accepts every built-in profile', () => {
      for (const p of [Profile.DEVELOPMENT, Profile.COST_CONSCIOUS_PRODUCTION, Profile.HIGHLY_AVAILABLE_PRODUCTION]) {
        expect(() => resolveProfile(stack, p)).not.toThrow();
      }
    });
    test('rejects minTasks above maxTasks', () => {
      expect(() => resolveProfile(stack, Profile.DEVELOPMENT.withOverrides({ minTasks: 3 }))).toThrow('`minTasks` (3) must not be above `maxTasks` (2)');
    });
    test('rejects a negative minTasks', () => {
      expect(() => resolveProfile(stack, Profile.DEVELOPMENT.withOverrides({ minTasks: -1 }))).toThrow('`minTasks` must be a whole number of at least 0, got: -1');
    });
    test('rejects a maxTasks of zero', () => {
      expect(() => resolveProfile(stack, Profile.DEVELOPMENT.withOverrides({ minTasks: 0, maxTasks: 0 }))).toThrow('`maxTasks` must be a whole number of at least 1, got: 0');
    });
    test('rejects DESTROY in production', () => {
      expect(() => resolveProfile(stack, Profile.COST_CONSCIOUS_PRODUCTION.withOverrides({ removalPolicy: RemovalPolicy.DESTROY }))).toThrow(
        '`removalPolicy` must be RETAIN or SNAPSHOT when `production` is true, got: DESTROY',
      );
    });
    test('rejects short backups in production', () => {
      expect(() => resolveProfile(stack, Profile.COST_CONSCIOUS_PRODUCTION.withOverrides({ backupRetention: Duration.days(3) }))).toThrow(
        '`backupRetention` must be at least 7 days when `production` is true, got: 3 days',
      );
    });
  });
});
