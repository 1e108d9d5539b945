// HashiCorp Vault (ISSUERS.md §28): POST /v1/auth/token/revoke-self, allowed by the default policy. Self-hosted
// Vault is reached only through the base URL override; HCP Vault addresses next to the token are on the allowlist.
// Batch tokens cannot be revoked one by one.
import type { RevokeProvider } from '../types.js';
import { byStatus, tenantBaseFor } from './util.js';

const HOSTS = ['*.hashicorp.cloud'];

export const vault: RevokeProvider = {
  issuer: 'vault',
  name: 'HashiCorp Vault',
  hosts: HOSTS,
  defaultBaseUrl: '',
  baseFor: tenantBaseFor(HOSTS, 'vault'),
  unsupported(cred, { base }) {
    if (/^hvb\./.test(cred.secret)) return 'batch tokens cannot be revoked; they expire with their TTL';
    if (!base) return 'no Vault address known: set [issuers.vault] baseUrl or KEYSCOPE_VAULT_BASE_URL';
    return undefined;
  },
  plan: (_cred, base) => [`POST ${base}/v1/auth/token/revoke-self (X-Vault-Token: the token itself)`],
  async revoke(cred, { http, base }) {
    const url = `${base}/v1/auth/token/revoke-self`;
    const res = await http.request({
      method: 'POST',
      url,
      headers: { 'x-vault-token': cred.secret },
      body: '',
      mutating: true,
    });
    // Vault answers 403 "permission denied" for a token it does not know (revoked, expired or never valid).
    return byStatus(res, `POST ${url}`, { name: 'Vault', ok: [204, 200], gone: [403, 401] });
  },
};
