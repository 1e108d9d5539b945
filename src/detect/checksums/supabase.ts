// Supabase legacy project keys are HS256 JWTs {iss:"supabase", ref, role}; only the service_role key bypasses row
// level security (the anon key is public by design). The validator accepts service_role keys only.
import { registerChecksum } from './index.js';

function claims(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function isSupabaseServiceRole(token: string): boolean {
  const c = claims(token);
  return c?.iss === 'supabase' && c.role === 'service_role';
}

export function isSupabaseAnon(token: string): boolean {
  const c = claims(token);
  return c?.iss === 'supabase' && c.role === 'anon';
}

registerChecksum({ name: 'supabase-service-role', validate: isSupabaseServiceRole });
