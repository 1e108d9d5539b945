// AWS IAM access keys (ISSUERS.md §1): the key deactivates itself with iam:UpdateAccessKey Status=Inactive, when its
// policy allows it (reversible: an admin can set it Active again). Signed with the key's own secret; IAM infers the
// user from the signing key. Temporary STS keys (ASIA…) cannot be deactivated: their role sessions are revoked instead.

import { AwsSdkHandler } from '../../issuers/aws-handler.js';
import type { Credential } from '../../issuers/types.js';
import type { RevokeProvider } from '../types.js';
import { alreadyRevoked, clip, companion, failed, revoked } from './util.js';

const SECRET = /^[A-Za-z0-9/+=]{40}$/;

export function awsPair(cred: Credential): { id: string; secret: string } | undefined {
  if (/^AKIA[A-Z0-9]{16}$/.test(cred.secret)) {
    const secret = companion(cred, SECRET, /secret/i);
    return secret ? { id: cred.secret, secret } : undefined;
  }
  if (SECRET.test(cred.secret)) {
    const id = companion(cred, /^AKIA[A-Z0-9]{16}$/);
    return id ? { id, secret: cred.secret } : undefined;
  }
  return undefined;
}

const GONE = new Set(['InvalidClientTokenId', 'SignatureDoesNotMatch', 'NoSuchEntity', 'NoSuchEntityException']);

export const aws: RevokeProvider = {
  issuer: 'aws',
  name: 'AWS IAM',
  hosts: ['iam.amazonaws.com'],
  defaultBaseUrl: 'https://iam.amazonaws.com',
  reversible: true,
  action: 'deactivate',
  unsupported(cred) {
    if (/^ASIA/.test(cred.secret) || /^ASIA/.test(companion(cred, /^ASIA/) ?? '')) {
      return "temporary STS credentials cannot be deactivated: revoke the role's active sessions";
    }
    if (!awsPair(cred))
      return 'no secret access key found next to the key id, so the key cannot sign its own deactivation';
    return undefined;
  },
  plan(cred, base) {
    const id = awsPair(cred)?.id ?? cred.secret;
    return [
      `POST ${base}/ Action=UpdateAccessKey AccessKeyId=${id.slice(0, 8)}… Status=Inactive (signed by the key itself; reversible)`,
    ];
  },
  async revoke(cred, { http, base }) {
    const pair = awsPair(cred)!;
    const request = `POST ${base}/ Action=UpdateAccessKey AccessKeyId=${pair.id.slice(0, 8)}… Status=Inactive`;
    const { IAMClient, UpdateAccessKeyCommand } = await import('@aws-sdk/client-iam');
    const client = new IAMClient({
      region: 'us-east-1',
      endpoint: base,
      credentials: { accessKeyId: pair.id, secretAccessKey: pair.secret },
      requestHandler: new AwsSdkHandler(http, 'revoke') as never,
      maxAttempts: 1,
    });
    try {
      const out = await client.send(new UpdateAccessKeyCommand({ AccessKeyId: pair.id, Status: 'Inactive' }));
      return revoked('IAM set the access key Inactive (reversible)', out.$metadata.httpStatusCode, request);
    } catch (err) {
      const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode;
      if (e.name && GONE.has(e.name))
        return alreadyRevoked(`IAM no longer accepts this key (${e.name}): inactive or deleted`, status, request);
      if (e.name === 'AccessDenied' || e.name === 'AccessDeniedException') {
        return failed(
          'the key may not deactivate itself (iam:UpdateAccessKey denied); an IAM admin must, see the runbook',
          status,
          request,
        );
      }
      if (status === undefined) throw err;
      return failed(
        `IAM answered ${e.name ?? 'an error'} (HTTP ${status}): ${clip(e.message ?? '', 160)}`,
        status,
        request,
      );
    } finally {
      client.destroy();
    }
  },
};
