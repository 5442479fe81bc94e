import { PriceList } from '../../src';

describe('PriceList', () => {
  test('embeds the 2026-11-21 us-east-1 figures with their date and region', () => {
    // GIVEN / WHEN
    const p = PriceList.US_EAST_1_2026_11_21;
    // THEN
    expect(p.takenOn).toBe('2026-11-21');
    expect(p.region).toBe('us-east-1');
    expect(p.hoursPerMonth).toBe(730);
    expect(p.natGatewayHourly).toBe(0.045);
    expect(p.publicIpv4Hourly).toBe(0.005);
    expect(p.loadBalancerHourly).toBe(0.0225);
    expect(p.interfaceEndpointAzHourly).toBe(0.01);
    expect([p.fargateX86VcpuHourly, p.fargateX86GbHourly]).toEqual([0.04048, 0.004445]);
    expect([p.fargateArmVcpuHourly, p.fargateArmGbHourly]).toEqual([0.03238, 0.00356]);
    expect(p.ec2InstanceHourly).toEqual({
      't4g.nano': 0.0042,
      't4g.micro': 0.0084,
      'c6g.medium': 0.034,
      'c6g.large': 0.068,
      'c6g.xlarge': 0.136,
      'c6g.2xlarge': 0.272,
      'c6a.large': 0.0765,
      'c6a.xlarge': 0.153,
      'c6a.2xlarge': 0.306,
    });
    expect([p.eksClusterHourly, p.eksAutoModeFeeShare]).toEqual([0.1, 0.12]);
    expect(p.unconfirmed).toEqual(expect.arrayContaining([expect.stringContaining('eksClusterHourly'), expect.stringContaining('c6g')]));
    expect(p.rdsInstanceHourly).toEqual({ 'postgres:db.t4g.micro': 0.016 });
    expect(p.rdsStorageGbMonthly).toEqual({ gp3: 0.115, gp2: 0.115 });
    expect(p.unconfirmed).toEqual(expect.arrayContaining([expect.stringContaining('rdsStorageGbMonthly.gp2')]));
    expect(p.auroraAcuHourly).toBe(0.12);
    expect(p.elastiCacheServerlessMinimumMonthly).toBeUndefined();
    expect([p.kmsKeyMonthly, p.secretMonthly]).toEqual([1, 0.4]);
    expect([p.alarmMetricMonthly, p.highResolutionAlarmMetricMonthly, p.compositeAlarmMonthly, p.dashboardMonthly]).toEqual([0.1, 0.3, 0.5, 3]);
    expect([p.freeAlarmMetrics, p.freeDashboards]).toEqual([10, 3]);
    expect([p.hostedZoneMonthly, p.healthCheckAwsMonthly, p.healthCheckOtherMonthly, p.healthCheckOptionMonthly]).toEqual([0.5, 0.5, 0.75, 1]);
    expect([p.wafWebAclMonthly, p.wafRuleMonthly]).toEqual([5, 1]);
    expect(p.globalAcceleratorHourly * 730).toBeCloseTo(18.25, 6);
    expect([p.codePipelineV1Monthly, p.cloudMapInstanceMonthly]).toEqual([1, 0.1]);
    expect(p.unconfirmed.join()).toContain('fargateSpotDiscount');
  });

  test('withOverrides changes only the figures given and merges lookup tables', () => {
    // GIVEN
    const base = PriceList.US_EAST_1_2026_11_21;
    // WHEN
    const p = base.withOverrides({
      region: 'eu-west-1',
      takenOn: '2026-12-01',
      natGatewayHourly: 0.048,
      rdsInstanceHourly: { 'postgres:db.t4g.small': 0.034 },
    });
    // THEN
    expect(p.region).toBe('eu-west-1');
    expect(p.takenOn).toBe('2026-12-01');
    expect(p.natGatewayHourly).toBe(0.048);
    expect(p.loadBalancerHourly).toBe(0.0225);
    expect(p.rdsInstanceHourly).toEqual({ 'postgres:db.t4g.micro': 0.016, 'postgres:db.t4g.small': 0.034 });
    expect(p.source).toContain('(overridden)');
    expect(base.natGatewayHourly).toBe(0.045);
    expect(base.rdsInstanceHourly).toEqual({ 'postgres:db.t4g.micro': 0.016 });
  });

  test('rejects a negative figure', () => {
    expect(() => PriceList.US_EAST_1_2026_11_21.withOverrides({ secretMonthly: -1 }))
      .toThrow('`secretMonthly` must be a number of at least 0, got: -1');
  });

  test('rejects a Spot discount above 1', () => {
    expect(() => PriceList.US_EAST_1_2026_11_21.withOverrides({ fargateSpotDiscount: 70 }))
      .toThrow('`fargateSpotDiscount` must be a number between 0 and 1, got: 70');
  });

  test('describe() names the region and the date', () => {
    expect(PriceList.US_EAST_1_2026_11_21.describe()).toContain('us-east-1 list prices taken on 2026-11-21');
  });
});
