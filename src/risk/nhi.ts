import type { NhiTag } from '../types.js';
import type { Facts } from './facts.js';

// OWASP Non-Human Identities Top 10 (2025) tags and the NIST CSF 2.0 controls each one breaks.

export interface NhiResult {
  nhi: NhiTag[];
  controls: string[];
  /** Why each tag beyond NHI2 applies, for reasons and reports. */
  why: Partial<Record<NhiTag, string>>;
}

export const NHI_TITLES: Record<NhiTag, string> = {
  NHI2: 'Secret Leakage',
  NHI5: 'Overprivileged NHI',
  NHI7: 'Long-Lived Secrets',
  NHI8: 'Environment Isolation',
  NHI9: 'NHI Reuse',
};

export const CONTROL_TITLES: Record<string, string> = {
  'PR.AA-01': 'Identities and credentials for services are managed',
  'PR.AA-05': 'Access permissions incorporate least privilege and separation of duties',
  'PR.DS-01': 'Confidentiality of data-at-rest is protected',
  'PR.IR-01': 'Networks and environments are protected from unauthorized logical access',
};

/** Admin or escalation, or write access over many resources (2+ orgs/accounts or 100+ leaves). Not for sandbox keys. */
export function overPrivileged(f: Facts): boolean {
  if (f.env.environment === 'test') return false;
  const lv = f.privilege.level;
  const wide = f.reach.containers >= 2 || f.reach.leaves >= 100;
  return lv === 'admin' || f.privilege.escalation.length > 0 || (lv === 'write' && wide);
}

export function nhiFor(f: Facts): NhiResult {
  const nhi: NhiTag[] = ['NHI2'];
  const why: NhiResult['why'] = {};
  const controls = new Set(['PR.AA-01', 'PR.DS-01']);
  if (overPrivileged(f)) {
    nhi.push('NHI5');
    why.NHI5 = f.privilege.level === 'admin' ? 'admin-level access' : 'write access over many resources';
    controls.add('PR.AA-05');
  }
  const l = f.lifetime;
  if (l.kind === 'never' || l.kind === 'long') {
    nhi.push('NHI7');
    why.NHI7 = l.kind === 'never' ? 'never expires' : l.expiresAt ? `valid until ${l.expiresAt}` : 'long-lived key';
  }
  const e = f.env;
  const prodInTest =
    e.testPaths.length > 0 && (e.environment === 'production' || (e.environment === 'unknown' && f.status === 'live'));
  const acrossEnvs = e.pathEnvs.length >= 2;
  if (prodInTest || acrossEnvs) {
    nhi.push('NHI8');
    why.NHI8 = prodInTest
      ? `${e.environment === 'production' ? 'production' : 'live'} key in test code (${e.testPaths[0]})`
      : `one key across environments (${e.pathEnvs.join(', ')})`;
    controls.add('PR.IR-01');
  }
  const x = f.exposure;
  if (x.places.length >= 2 || x.repos.length >= 2) {
    nhi.push('NHI9');
    why.NHI9 = `same key in ${x.places.length} places${x.repos.length > 1 ? ` across ${x.repos.length} repositories` : ''}`;
  }
  return { nhi, controls: [...controls].sort(), why };
}
