import { describe, expect, it } from 'vitest';
import { computeSignature, parseAuthorization, verifySigV4 } from './sigv4';

// AWS SigV4 test suite, "get-vanilla" and "post-x-www-form-urlencoded" style vectors.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const scope = { accessKeyId: 'AKIDEXAMPLE', date: '20150830', region: 'us-east-1', service: 'service' };

describe('sigv4', () => {
  it('matches the AWS get-vanilla test vector', () => {
    const sig = computeSignature(
      { method: 'GET', url: '/', headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' }, rawBody: Buffer.alloc(0) },
      ['host', 'x-amz-date'],
      scope,
      SECRET,
    );
    expect(sig).toBe('5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  });

  it('verifies, and names each failure', () => {
    const headers: Record<string, string> = { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' };
    const sig = computeSignature({ method: 'POST', url: '/', headers, rawBody: Buffer.from('a=1') }, ['host', 'x-amz-date'], scope, SECRET);
    const auth = `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${sig}`;
    const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET };
    const ok = verifySigV4({ method: 'POST', url: '/', headers: { ...headers, authorization: auth }, rawBody: Buffer.from('a=1') }, creds);
    expect(ok).toEqual({ ok: true, scope });
    const tampered = verifySigV4({ method: 'POST', url: '/', headers: { ...headers, authorization: auth }, rawBody: Buffer.from('a=2') }, creds);
    expect(tampered.ok ? 'ok' : tampered.code).toBe('SignatureDoesNotMatch');
    const other = verifySigV4({ method: 'POST', url: '/', headers: { ...headers, authorization: auth }, rawBody: Buffer.from('a=1') }, { ...creds, accessKeyId: 'X' });
    expect(other.ok ? 'ok' : other.code).toBe('InvalidClientTokenId');
    const none = verifySigV4({ method: 'POST', url: '/', headers, rawBody: Buffer.alloc(0) }, creds);
    expect(none.ok ? 'ok' : none.code).toBe('MissingAuthenticationToken');
    const garbled = verifySigV4({ method: 'POST', url: '/', headers: { ...headers, authorization: 'AWS4-HMAC-SHA256 nonsense' }, rawBody: Buffer.alloc(0) }, creds);
    expect(garbled.ok ? 'ok' : garbled.code).toBe('IncompleteSignature');
  });

  it('parses the Authorization header', () => {
    expect(parseAuthorization('AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=Host;X-Amz-Date, Signature=ff')).toEqual({
      credential: ['a', 'b', 'c', 'd', 'aws4_request'],
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'ff',
    });
    expect(parseAuthorization('Basic abc')).toBeUndefined();
  });
});
