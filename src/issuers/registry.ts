// The issuer registry: rule `issuer` id → module. Modules are listed in two arrays so that two people can add
// issuers without touching the same lines: all-a.ts (first batch) and all-b.ts (second batch).
import { modulesA } from './all-a.js';
import { modulesB } from './all-b.js';
import type { Capabilities, IssuerModule } from './types.js';

const registry = new Map<string, IssuerModule>();

function add(m: IssuerModule): void {
  if (registry.has(m.id)) throw new Error(`issuer module ${m.id} registered twice`);
  if (!m.hosts.length && m.lookup) throw new Error(`issuer module ${m.id} has a lookup but no allowlisted hosts`);
  registry.set(m.id, m);
}

for (const m of [...modulesA, ...modulesB]) add(m);

export function getIssuer(id: string): IssuerModule | undefined {
  return registry.get(id);
}

export function issuerIds(): string[] {
  return [...registry.keys()].sort();
}

export function allIssuers(): IssuerModule[] {
  return [...registry.values()];
}

/** What the rules catalog shows for an issuer; see README.md ("Capabilities"). */
export function capabilitiesOf(m: IssuerModule | undefined): Capabilities {
  if (!m) return { verify: false, scope: false, revoke: false };
  return {
    verify: m.capabilities?.verify ?? Boolean(m.lookup),
    scope: m.capabilities?.scope ?? Boolean(m.lookup && m.scopeLevels),
    revoke: m.capabilities?.revoke ?? Boolean(m.revoke || m.revokeMany),
  };
}

export function capabilitiesFor(issuerId: string): Capabilities {
  return capabilitiesOf(registry.get(issuerId));
}
