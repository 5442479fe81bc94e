import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Network, PostgresDatabase, PostgresEngineKind, Profile } from '../../src';

// Properties whose change CloudFormation resolves by replacing the resource (from the resource
// type reference: "Update requires: Replacement").
const REPLACING: { [type: string]: string[] } = {
  'AWS::RDS::DBInstance': [
    'DBInstanceIdentifier', 'DBName', 'StorageEncrypted', 'KmsKeyId', 'MasterUsername', 'DBSubnetGroupName', 'Engine',
    'AvailabilityZone', 'DBClusterIdentifier', 'CharacterSetName', 'Timezone', 'DBSnapshotIdentifier', 'SourceRegion', 'NcharCharacterSetName',
  ],
  'AWS::RDS::DBCluster': [
    'DBClusterIdentifier', 'DatabaseName', 'StorageEncrypted', 'KmsKeyId', 'MasterUsername', 'DBSubnetGroupName', 'Engine', 'EngineMode',
    'AvailabilityZones', 'SnapshotIdentifier', 'SourceRegion', 'RestoreType', 'SourceDBClusterIdentifier',
  ],
  'AWS::RDS::DBSubnetGroup': ['DBSubnetGroupName'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::SecretsManager::SecretTargetAttachment': ['SecretId'],
  'AWS::EC2::Subnet': ['CidrBlock', 'VpcId', 'AvailabilityZone', 'AvailabilityZoneId'],
  'AWS::EC2::VPC': ['CidrBlock', 'InstanceTenancy'],
};

interface Variant { readonly profile: Profile; readonly readReplica?: boolean }

function synth(engine: PostgresEngineKind, v: Variant): Template {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  const network = new Network(stack, 'Net', { profile: v.profile });
  new PostgresDatabase(stack, 'Db', { network, profile: v.profile, engine, readReplica: v.readReplica });
  return Template.fromStack(stack);
}

/** The stateful resources and the replacing properties of each, by logical ID. */
function stateful(t: Template): { [logicalId: string]: { [prop: string]: unknown } } {
  const out: { [logicalId: string]: { [prop: string]: unknown } } = {};
  for (const [type, props] of Object.entries(REPLACING)) {
    for (const [id, resource] of Object.entries(t.findResources(type))) {
      // the VPC's own subnets for the database (isolated) and the database's resources
      if (type === 'AWS::EC2::Subnet' && !id.includes('Data')) continue;
      if (id.startsWith('DbReplica')) continue; // the replica and its subnet group are new
      const properties: { [prop: string]: unknown } = (resource as { Properties?: { [prop: string]: unknown } }).Properties ?? {};
      out[id] = Object.fromEntries(props.map((p) => [p, properties[p]]));
    }
  }
  return out;
}

describe('growth without loss', () => {
  const rdsPath: Array<[string, Variant]> = [
    ['development', { profile: Profile.DEVELOPMENT }],
    ['cost-conscious production', { profile: Profile.COST_CONSCIOUS_PRODUCTION }],
    ['cost-conscious production with a read replica', { profile: Profile.COST_CONSCIOUS_PRODUCTION, readReplica: true }],
    ['highly available production', { profile: Profile.HIGHLY_AVAILABLE_PRODUCTION }],
    ['highly available production with a read replica', { profile: Profile.HIGHLY_AVAILABLE_PRODUCTION, readReplica: true }],
  ];

  test('RDS: every profile and the read replica keep the instance, its secret, subnet group and subnets', () => {
    // GIVEN the development database
    const base = stateful(synth(PostgresEngineKind.RDS, rdsPath[0][1]));
    expect(Object.keys(base).filter((id) => id.startsWith('DbInstance'))).toHaveLength(2); // the instance and its subnet group
    expect(Object.keys(base).filter((id) => id.startsWith('DbSecret'))).toHaveLength(2); // the secret and its attachment
    expect(Object.keys(base).filter((id) => id.includes('Data'))).toHaveLength(2);
    for (const [name, variant] of rdsPath.slice(1)) {
      // WHEN the app grows
      const grown = stateful(synth(PostgresEngineKind.RDS, variant));
      // THEN the same logical IDs hold the same replacing properties
      expect({ name, resources: grown }).toEqual({ name, resources: base });
    }
  });

  test('Aurora: every profile keeps the cluster, its writer, its secret, subnet group and subnets', () => {
    const variants = [Profile.DEVELOPMENT, Profile.COST_CONSCIOUS_PRODUCTION, Profile.HIGHLY_AVAILABLE_PRODUCTION];
    const [base, ...grown] = variants.map((profile) => stateful(synth(PostgresEngineKind.AURORA_SERVERLESS_V2, { profile })));
    expect(Object.keys(base).filter((id) => id.startsWith('DbCluster'))).toHaveLength(3); // cluster, subnet group, writer
    for (const g of grown) {
      // the HA reader is added; everything that existed stays as it was
      for (const [id, props] of Object.entries(base)) expect({ id, props: g[id] }).toEqual({ id, props });
    }
  });

  test('the identifier is fixed, so CloudFormation refuses rather than performs a replacement', () => {
    const t = synth(PostgresEngineKind.RDS, { profile: Profile.DEVELOPMENT });
    const instance = Object.values(t.findResources('AWS::RDS::DBInstance'))[0] as { Properties: { DBInstanceIdentifier: string } };
    expect(instance.Properties.DBInstanceIdentifier).toMatch(/^s-db-[a-z0-9-]+-instance$/);
  });
});
