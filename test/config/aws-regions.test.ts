// What the config checks know about AWS: region names per partition, availability zones, the
// region an endpoint host names, and which regions ever took SigV2.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  acceptsSigV2,
  awsPartitionOf,
  closestAwsRegion,
  isAvailabilityZoneId,
  isAwsHost,
  isKnownAwsRegion,
  regionOfAvailabilityZone,
  regionOfAwsHost,
} from '../../src/config/aws-regions.js';

test('region names: partition patterns, known regions, availability zones', () => {
  assert.equal(awsPartitionOf('eu-central-1'), 'aws');
  assert.equal(awsPartitionOf('us-gov-west-1'), 'aws-us-gov');
  assert.equal(awsPartitionOf('cn-northwest-1'), 'aws-cn');
  assert.equal(awsPartitionOf('eusc-de-east-1'), 'aws-eusc');
  assert.equal(awsPartitionOf('eu-cental-1'), 'aws', 'fits the pattern');
  for (const bad of ['us-east-1a', 'europe', 'EU-CENTRAL-1', 'eu-central', 'xx-central-1', '']) assert.equal(awsPartitionOf(bad), undefined, bad);
  assert.ok(isKnownAwsRegion('mx-central-1') && !isKnownAwsRegion('eu-cental-1'));
  assert.equal(regionOfAvailabilityZone('us-east-1a'), 'us-east-1');
  assert.equal(regionOfAvailabilityZone('eu-central-1c'), 'eu-central-1');
  assert.equal(regionOfAvailabilityZone('us-east-1'), undefined);
  assert.ok(isAvailabilityZoneId('use1-az1') && isAvailabilityZoneId('euc1-az3') && !isAvailabilityZoneId('us-east-1'));
  assert.equal(closestAwsRegion('eu-cental-1'), 'eu-central-1');
  assert.equal(closestAwsRegion('us-wset-2'), 'us-west-2');
  assert.equal(closestAwsRegion('nothing-like-it'), undefined);
});

test('the region an AWS endpoint host names; none for global or non-AWS hosts', () => {
  const cases: Array<[string, string | undefined]> = [
    ['s3.us-west-2.amazonaws.com', 'us-west-2'],
    ['s3-us-west-2.amazonaws.com', 'us-west-2'],
    ['s3.dualstack.eu-central-1.amazonaws.com', 'eu-central-1'],
    ['s3-fips.us-gov-west-1.amazonaws.com', 'us-gov-west-1'],
    ['my-bucket.s3.ap-southeast-2.amazonaws.com', 'ap-southeast-2'],
    ['s3.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
    ['abcd1234.data.mediastore.us-west-2.amazonaws.com', 'us-west-2'],
    ['s3.amazonaws.com', undefined],
    ['s3-external-1.amazonaws.com', undefined],
    ['minio.us-west-2.example.com', undefined],
    ['localhost', undefined],
  ];
  for (const [host, region] of cases) assert.equal(regionOfAwsHost(host), region, host);
  assert.ok(isAwsHost('s3.amazonaws.com') && isAwsHost('s3.cn-north-1.amazonaws.com.cn') && isAwsHost('s3.eusc-de-east-1.amazonaws.eu'));
  assert.ok(!isAwsHost('amazonaws.com.evil.example') && !isAwsHost('notamazonaws.com'));
});

test('SigV2 only ever existed in the regions opened before 2014', () => {
  for (const r of ['us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'ap-southeast-1', 'ap-southeast-2', 'sa-east-1']) assert.ok(acceptsSigV2(r), r);
  for (const r of ['eu-central-1', 'us-east-2', 'ap-south-1', 'eu-west-2', 'cn-north-1']) assert.ok(!acceptsSigV2(r), r);
});
