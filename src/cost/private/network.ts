import {
  arr, bool, CostLine, num, obj, plural, Pricer, PricingContext, ResourceRecord, str, unpriced,
} from './context';

/** `AWS::EC2::NatGateway`: hourly; its Elastic IP is priced as its own resource. */
export const natGateway: Pricer = (r, ctx) => {
  const privateNat = str(r.properties.ConnectivityType) === 'private';
  return [{
    description: `NAT gateway (${ctx.prices.natGatewayHourly}/h)`,
    monthlyUsd: ctx.monthly(ctx.prices.natGatewayHourly),
    note: `plus ${ctx.prices.natGatewayHourly} per GB processed (usage)${privateNat ? '; private NAT, no public IP' : ''}`,
  }];
};

/** `AWS::EC2::EIP`: a public IPv4 address bills the same in use or idle. */
export const elasticIp: Pricer = (_r, ctx) => [publicIpv4(ctx, 1, 'Elastic IP (public IPv4)')];

export function publicIpv4(ctx: PricingContext, count: number, description?: string): CostLine {
  return {
    description: description ?? `${plural(count, 'public IPv4 address', 'public IPv4 addresses')}`,
    monthlyUsd: ctx.monthly(ctx.prices.publicIpv4Hourly, count),
  };
}

/** `AWS::EC2::Instance`: the instance type by the hour, plus a public IP when it gets one. */
export const ec2Instance: Pricer = (r, ctx) => {
  const type = str(r.properties.InstanceType);
  const natInstance = bool(r.properties.SourceDestCheck) === false;
  const what = natInstance ? 'NAT instance' : 'EC2 instance';
  const lines: CostLine[] = [instanceHours(ctx, what, type, 1)];
  if (instanceHasPublicIp(r, ctx, natInstance)) lines.push(publicIpv4(ctx, 1, `${what} public IPv4 address`));
  return lines;
};

function instanceHours(ctx: PricingContext, what: string, type: string | undefined, count: number): CostLine {
  const hourly = type ? ctx.prices.ec2InstanceHourly[type] : undefined;
  if (hourly === undefined) {
    return unpriced(`${count > 1 ? `${count} x ` : ''}${what} ${type ?? '(type not known at synth)'}`,
      `no price for ${type ?? 'this instance type'}: supply \`ec2InstanceHourly\``);
  }
  return {
    description: `${count > 1 ? `${count} x ` : ''}${what} ${type} (${hourly}/h)`,
    monthlyUsd: ctx.monthly(hourly, count),
    note: 'EBS volumes and data transfer not counted',
  };
}

function instanceHasPublicIp(r: ResourceRecord, ctx: PricingContext, natInstance: boolean): boolean {
  const nics = arr(r.properties.NetworkInterfaces) ?? [];
  for (const nic of nics) {
    const assoc = bool(obj(nic).AssociatePublicIpAddress);
    if (assoc !== undefined) return assoc;
  }
  const subnet = ctx.target(r, r.properties.SubnetId, 'AWS::EC2::Subnet');
  if (subnet) return bool(subnet.properties.MapPublicIpOnLaunch) === true;
  // A NAT instance must reach the internet, so it has a public address.
  return natInstance;
}

/** `AWS::AutoScaling::AutoScalingGroup`: the instances it keeps at rest. */
export const autoScalingGroup: Pricer = (r, ctx) => {
  const count = num(r.properties.DesiredCapacity) ?? num(r.properties.MinSize);
  if (count === undefined) return [unpriced('Auto Scaling group', 'capacity not known at synth')];
  if (r.properties.MixedInstancesPolicy) {
    return [unpriced(`Auto Scaling group of ${count}`, 'mixed instances policy: instance types not priced')];
  }
  let type: string | undefined;
  let publicIp = false;
  const lt = ctx.target(r, obj(r.properties.LaunchTemplate).LaunchTemplateId, 'AWS::EC2::LaunchTemplate');
  const lc = ctx.target(r, r.properties.LaunchConfigurationName, 'AWS::AutoScaling::LaunchConfiguration');
  if (lt) {
    const data = obj(lt.properties.LaunchTemplateData);
    type = str(data.InstanceType);
    publicIp = (arr(data.NetworkInterfaces) ?? []).some((n) => bool(obj(n).AssociatePublicIpAddress) === true);
  } else if (lc) {
    type = str(lc.properties.InstanceType);
    publicIp = bool(lc.properties.AssociatePublicIpAddress) === true;
  }
  const lines = [instanceHours(ctx, 'EC2 instance', type, count)];
  if (publicIp && count > 0) lines.push(publicIpv4(ctx, count));
  return lines;
};

/** `AWS::ElasticLoadBalancingV2::LoadBalancer`: hourly, plus a public IPv4 per AZ when internet-facing. */
export const loadBalancer: Pricer = (r, ctx) => {
  const type = str(r.properties.Type) ?? 'application';
  if (type === 'gateway') {
    return [unpriced('Gateway Load Balancer', 'no price for Gateway Load Balancers in the price list')];
  }
  const name = type === 'network' ? 'Network Load Balancer' : 'Application Load Balancer';
  const lines: CostLine[] = [{
    description: `${name} (${ctx.prices.loadBalancerHourly}/h)`,
    monthlyUsd: ctx.monthly(ctx.prices.loadBalancerHourly),
    note: 'LCU charges (traffic) not counted',
  }];
  const internetFacing = (str(r.properties.Scheme) ?? 'internet-facing') === 'internet-facing';
  const noPublicV4 = str(r.properties.IpAddressType) === 'dualstack-without-public-ipv4';
  if (internetFacing && !noPublicV4) {
    const mappings = arr(r.properties.SubnetMappings);
    // Mappings with their own Elastic IP are priced as those EIPs.
    const azs = mappings
      ? mappings.filter((m) => obj(m).AllocationId === undefined).length
      : arr(r.properties.Subnets)?.length;
    if (azs === undefined) {
      lines.push(unpriced(`${name} public IPv4 addresses`, 'subnet count not known at synth (one address per AZ)'));
    } else if (azs > 0) {
      lines.push(publicIpv4(ctx, azs, `${plural(azs, 'public IPv4 address', 'public IPv4 addresses')} (one per AZ)`));
    }
  }
  return lines;
};

/** `AWS::ElasticLoadBalancing::LoadBalancer` (classic). */
export const classicLoadBalancer: Pricer = () => [
  unpriced('Classic Load Balancer', 'no price for Classic Load Balancers in the price list'),
];

/** `AWS::EC2::VPCEndpoint`: interface endpoints bill per AZ and hour; gateway endpoints are free. */
export const vpcEndpoint: Pricer = (r, ctx) => {
  const type = str(r.properties.VpcEndpointType) ?? 'Gateway';
  const service = describeEndpointService(r.properties.ServiceName);
  if (type === 'Gateway') return [];
  if (type !== 'Interface') {
    return [unpriced(`${type} VPC endpoint${service}`, `no price for ${type} endpoints in the price list`)];
  }
  const azs = arr(r.properties.SubnetIds)?.length;
  if (azs === undefined) {
    return [{
      description: `interface VPC endpoint${service}, 1 AZ assumed`,
      monthlyUsd: ctx.monthly(ctx.prices.interfaceEndpointAzHourly),
      note: 'subnets not known at synth: priced for one AZ; plus data processed (usage)',
    }];
  }
  return [{
    description: `interface VPC endpoint${service} in ${plural(azs, 'AZ')} (${ctx.prices.interfaceEndpointAzHourly}/AZ-h)`,
    monthlyUsd: ctx.monthly(ctx.prices.interfaceEndpointAzHourly, azs),
    note: `plus ${ctx.prices.interfaceEndpointAzHourly} per GB processed (usage)`,
  }];
};

function describeEndpointService(name: unknown): string {
  if (typeof name === 'string') return ` ${name.split('.').slice(3).join('.') || name}`;
  // aws-cdk-lib renders `com.amazonaws.<region>.<service>` as a Fn::Join.
  const join = obj(name)['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    const last = join[1][join[1].length - 1];
    if (typeof last === 'string') return ` ${last.replace(/^\./, '')}`;
  }
  return '';
}

/** `AWS::GlobalAccelerator::Accelerator`: hourly. */
export const globalAccelerator: Pricer = (_r, ctx) => [{
  description: `Global Accelerator (${ctx.prices.globalAcceleratorHourly}/h)`,
  monthlyUsd: ctx.monthly(ctx.prices.globalAcceleratorHourly),
  note: 'plus the data transfer premium (usage)',
}];

/** `AWS::ApiGatewayV2::VpcLink`: no hourly charge is listed. */
export const httpApiVpcLink: Pricer = () => [{
  description: 'HTTP API VPC link',
  monthlyUsd: 0,
  note: 'no hourly charge listed on AWS\'s page (not confirmed)',
}];
