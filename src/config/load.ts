import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { configSchema, type KeyscopeConfig } from './schema.js';

export class ConfigError extends Error {}

export interface LoadedConfig {
  config: KeyscopeConfig;
  /** Settings that were ignored, with why (untrusted config). */
  warnings?: string[];
  /** The file it came from, or undefined for defaults. */
  file?: string;
  /** Folder relative paths in the config resolve against. */
  dir: string;
}

/** Loads --config FILE, else keyscope.toml in `root`, else defaults. Errors name the file and the problem. */
export function loadConfig(explicit: string | undefined, root: string): LoadedConfig {
  const file = explicit ? path.resolve(explicit) : path.join(root, 'keyscope.toml');
  if (!existsSync(file)) {
    if (explicit) throw new ConfigError(`config file ${explicit} not found`);
    return { config: configSchema.parse({}), dir: root };
  }
  let raw: unknown;
  try {
    raw = parseToml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file}: invalid TOML: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new ConfigError(`${file}: ${problems}`);
  }
  const warnings = untrusted(parsed.data);
  return { config: parsed.data, file, dir: path.dirname(file), ...(warnings.length ? { warnings } : {}) };
}

/**
 * KEYSCOPE_UNTRUSTED_CONFIG=1 (set by the GitHub Action on pull requests): the config file came with the change under
 * review, so it may not redirect secrets — issuer base URLs in it are dropped; the environment's still apply.
 */
function untrusted(config: KeyscopeConfig, env = process.env): string[] {
  if (env.KEYSCOPE_UNTRUSTED_CONFIG !== '1') return [];
  const warnings: string[] = [];
  for (const [id, settings] of Object.entries(config.issuers)) {
    if (!settings.baseUrl) continue;
    delete settings.baseUrl;
    warnings.push(
      `[issuers.${id}] baseUrl ignored: the config is untrusted here (set KEYSCOPE_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BASE_URL in the workflow instead)`,
    );
  }
  return warnings;
}

/** The issuer base URL override: config first, then KEYSCOPE_<ID>_BASE_URL (id upper-cased, dashes → underscores). */
export function issuerBaseUrl(config: KeyscopeConfig, issuerId: string, env = process.env): string | undefined {
  const fromConfig = config.issuers[issuerId]?.baseUrl;
  if (fromConfig) return fromConfig;
  const key = `KEYSCOPE_${issuerId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_BASE_URL`;
  return env[key] || undefined;
}
