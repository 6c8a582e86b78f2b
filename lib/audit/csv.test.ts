import { describe, expect, it } from 'vitest';
import { auditCsvHeader, auditCsvLine, csvCell } from './csv';
import { auditQueryString, parseAuditQuery, parseUtc } from './filters';

describe('audit CSV', () => {
  it('quotes and neutralises formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"\nbye')).toBe('"say ""hi""\nbye"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(undefined)).toBe('');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });

  it('writes one line per row in header order', () => {
    expect(auditCsvHeader()).toBe('seq,time,actor,role,action,phase,region,target,aws_request_id,error,correlation_id,params,hash\r\n');
    const line = auditCsvLine({ seq: 3, id: 'i', at: '2026-01-01T00:00:00.000Z', actor: 'op', role: 'operator', action: 'cluster.failover', phase: 'failed', region: 'us-east-1', target: 'orders', awsRequestId: 'r-1', error: 'Boom, again', prevHash: 'p', hash: 'h' });
    expect(line).toBe('3,2026-01-01T00:00:00.000Z,op,operator,cluster.failover,failed,us-east-1,orders,r-1,"Boom, again",,,h\r\n');
  });
});

describe('audit filters', () => {
  it('parses UTC dates, inclusive end of day', () => {
    expect(parseUtc('2026-02-03')?.toISOString()).toBe('2026-02-03T00:00:00.000Z');
    expect(parseUtc('2026-02-03', true)?.toISOString()).toBe('2026-02-03T23:59:59.999Z');
    expect(parseUtc('2026-02-03T10:15')?.toISOString()).toBe('2026-02-03T10:15:00.000Z');
    expect(parseUtc('yesterday')).toBeUndefined();
  });

  it('reports bad dates and round-trips the query string', () => {
    const r = parseAuditQuery(new URLSearchParams('actor=op&from=nope&page=2'));
    expect(r.filter).toMatchObject({ actor: 'op', from: undefined });
    expect(r.problems).toHaveLength(1);
    expect(auditQueryString(r.query)).toBe('?actor=op&from=nope&page=2');
  });
});
