import { describe, expect, it } from 'vitest';
import { parseQueryBody, QueryParams, queryError, queryResponse } from './query';
import { xmlList } from './xml';

describe('query protocol', () => {
  it('decodes nested lists and structures as the SDK sends them', () => {
    const p = new QueryParams(
      parseQueryBody(
        'Action=DescribeDBClusters&Filters.Filter.1.Name=engine&Filters.Filter.1.Values.Value.1=aurora-mysql&Filters.Filter.1.Values.Value.2=aurora-postgresql' +
          '&Filters.Filter.2.Name=db-cluster-id&Filters.Filter.2.Values.Value.1=a%20b' +
          '&Tags.Tag.2.Key=k2&Tags.Tag.2.Value=v2&Tags.Tag.1.Key=k1&Tags.Tag.1.Value=' +
          '&VpcSecurityGroupIds.VpcSecurityGroupId.1=sg-1&EnableCloudwatchLogsExports.member.1=audit&EnableCloudwatchLogsExports.member.10=error&EnableCloudwatchLogsExports.member.2=slowquery' +
          '&EventCategories.EventCategory.1=failover&AvailabilityZones=&ServerlessV2ScalingConfiguration.MinCapacity=0.5',
      ),
    );
    expect(p.str('Action')).toBe('DescribeDBClusters');
    expect(p.structList('Filters', 'Filter')!.map((f) => [f.str('Name'), f.strList('Values', 'Value')])).toEqual([
      ['engine', ['aurora-mysql', 'aurora-postgresql']],
      ['db-cluster-id', ['a b']],
    ]);
    expect(p.structList('Tags', 'Tag')!.map((t) => [t.str('Key'), t.str('Value')])).toEqual([
      ['k1', ''],
      ['k2', 'v2'],
    ]);
    expect(p.strList('VpcSecurityGroupIds', 'VpcSecurityGroupId')).toEqual(['sg-1']);
    expect(p.strList('EnableCloudwatchLogsExports')).toEqual(['audit', 'slowquery', 'error']);
    expect(p.strList('EventCategories', 'EventCategory')).toEqual(['failover']);
    expect(p.strList('AvailabilityZones', 'AvailabilityZone')).toEqual([]);
    expect(p.strList('Missing')).toBeUndefined();
    expect(p.sub('ServerlessV2ScalingConfiguration')!.str('MinCapacity')).toBe('0.5');
  });

  it('encodes results with list element names, escapes text, and wraps errors', () => {
    const xml = queryResponse('DescribeEvents', 'urn:x', 'rid', {
      Events: xmlList('Event', [{ Message: 'a < b & "c"', EventCategories: xmlList('EventCategory', ['failover']), Flag: true, N: 3, Skip: undefined }]),
    });
    expect(xml).toBe(
      '<DescribeEventsResponse xmlns="urn:x"><DescribeEventsResult><Events><Event><Message>a &lt; b &amp; &quot;c&quot;</Message>' +
        '<EventCategories><EventCategory>failover</EventCategory></EventCategories><Flag>true</Flag><N>3</N></Event></Events>' +
        '</DescribeEventsResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></DescribeEventsResponse>',
    );
    expect(queryError('urn:x', 'rid', 'DBClusterNotFoundFault', 'DBCluster x not found.')).toBe(
      '<ErrorResponse xmlns="urn:x"><Error><Type>Sender</Type><Code>DBClusterNotFoundFault</Code><Message>DBCluster x not found.</Message></Error><RequestId>rid</RequestId></ErrorResponse>',
    );
  });
});
