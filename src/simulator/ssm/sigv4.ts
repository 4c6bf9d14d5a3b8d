// Verifies AWS SigV4 signatures for real (api-facts-boundary-ssm.md B.6): parses the Authorization
// header, rebuilds the request from exactly the headers the client listed as signed, signs it
// again with the simulator's secret through @smithy/signature-v4 and compares. A wrong secret, a
// changed signed header or body, an unknown key id or a clock 15 minutes off is refused.
import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IncomingSimRequest } from '../shared/http.js';

export interface SimCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type Verdict =
  | { ok: true; region: string; accessKeyId: string }
  | { ok: false; code: 'UnrecognizedClientException' | 'InvalidSignatureException' | 'MissingAuthenticationTokenException'; message: string };

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

function amzDate(text: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

export async function verifySigV4(req: IncomingSimRequest, creds: SimCredentials, service: string, now: number): Promise<Verdict> {
  const header = req.headers.authorization;
  if (!header) return { ok: false, code: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const m = AUTH.exec(header);
  if (!m)
    return {
      ok: false,
      code: 'InvalidSignatureException',
      message: 'Authorization header requires Credential, SignedHeaders and Signature parameters.',
    };
  const [, keyId, day, region, svc, signedList, signature] = m;
  if (keyId !== creds.accessKeyId)
    return { ok: false, code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  const signed = signedList.split(';');
  if (!signed.includes('host'))
    return { ok: false, code: 'InvalidSignatureException', message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." };
  if (creds.sessionToken !== undefined && (req.headers['x-amz-security-token'] !== creds.sessionToken || !signed.includes('x-amz-security-token'))) {
    return { ok: false, code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  const date = amzDate(req.headers['x-amz-date']);
  if (!date) return { ok: false, code: 'InvalidSignatureException', message: "Date must be in ISO-8601 'basic format'." };
  if (Math.abs(now - date.getTime()) > 15 * 60_000) {
    return {
      ok: false,
      code: 'InvalidSignatureException',
      message: `Signature expired: ${req.headers['x-amz-date']} is now earlier or later than 15 minutes from the server time.`,
    };
  }
  if (svc !== service || day !== req.headers['x-amz-date']!.slice(0, 8)) {
    return { ok: false, code: 'InvalidSignatureException', message: `Credential should be scoped to correct service: '${service}'.` };
  }
  // a signed payload hash must be the hash of the body actually received
  const claimed = req.headers['x-amz-content-sha256'];
  if (claimed !== undefined && claimed !== createHash('sha256').update(req.rawBody).digest('hex')) {
    return { ok: false, code: 'InvalidSignatureException', message: "The provided 'x-amz-content-sha256' header does not match what was computed." };
  }
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const v = req.headers[name];
    if (v === undefined)
      return {
        ok: false,
        code: 'InvalidSignatureException',
        message: `The request signature we calculated does not match the signature you provided (signed header ${name} is missing).`,
      };
    headers[name] = v;
  }
  const [hostname, port] = headers.host.split(':');
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      sessionToken: signed.includes('x-amz-security-token') ? creds.sessionToken : undefined,
    },
    region,
    service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const again = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname,
      port: port ? Number(port) : undefined,
      path: req.path,
      query: req.query,
      headers,
      body: req.rawBody,
    },
    { signingDate: date, signingRegion: region, signingService: service },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(again.headers.authorization ?? again.headers.Authorization))?.[1];
  const expectedHeaders = /SignedHeaders=([^,]+)/.exec(String(again.headers.authorization ?? again.headers.Authorization))?.[1];
  if (expected !== signature || expectedHeaders !== signedList) {
    return {
      ok: false,
      code: 'InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    };
  }
  return { ok: true, region, accessKeyId: keyId };
}
