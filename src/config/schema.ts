import { z } from 'zod';

// keyscope.toml at the repo root (or --config FILE). Unknown keys are errors: a typo must not silently
// disable a policy. Per-issuer tables may carry issuer-specific settings besides baseUrl.

const severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);
const status = z.enum(['live', 'inactive', 'invalid', 'unknown', 'skipped']);

export const issuerSettingsSchema = z
  .object({
    /** The only way a secret may go to a host outside the issuer's allowlist (GHES, GitLab self-managed, fakes). */
    baseUrl: z.string().url().optional(),
    enabled: z.boolean().optional(),
    concurrency: z.number().int().min(1).max(64).optional(),
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
  })
  .strict();

export const configSchema = z
  .object({
    rules: z
      .object({
        /** Extra rule files or folders (TOML), relative to the config file. */
        extra: z.array(z.string()).default([]),
        /** Rule ids to turn off. */
        disable: z.array(z.string()).default([]),
      })
      .strict()
      .default({ extra: [], disable: [] }),
    allow: z
      .object({
        /** Glob patterns (gitignore syntax) of paths never scanned. */
        paths: z.array(z.string()).default([]),
        /** Fingerprints (finding ids) of accepted findings. */
        fingerprints: z.array(z.string()).default([]),
        /** RE2 patterns: secrets matching one are not findings. */
        regexes: z.array(z.string()).default([]),
        /** Case-insensitive substrings: secrets containing one are not findings. */
        stopwords: z.array(z.string()).default([]),
      })
      .strict()
      .default({ paths: [], fingerprints: [], regexes: [], stopwords: [] }),
    scan: z
      .object({
        maxFileSize: z.number().int().min(1).optional(),
        workers: z.number().int().min(0).max(64).optional(),
      })
      .strict()
      .default({}),
    verify: z
      .object({
        /** How long a cached lookup result stays fresh. */
        cacheTtlHours: z.number().min(0).default(24),
        timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
      })
      .strict()
      .default({ cacheTtlHours: 24, timeoutMs: 10_000 }),
    issuers: z.record(z.string(), issuerSettingsSchema).default({}),
    risk: z
      .object({
        weights: z.record(z.string(), z.number().min(0)).default({}),
        /** Exposure of the scanned repository when no API tells: public or private. */
        visibility: z.enum(['public', 'private', 'internal']).optional(),
      })
      .strict()
      .default({ weights: {} }),
    revoke: z
      .object({
        min_severity: severity.default('critical'),
        statuses: z.array(status).default(['live']),
        issuers: z.array(z.string()).optional(),
        max_per_run: z.number().int().min(0).default(50),
        environments: z.array(z.enum(['production', 'test', 'unknown'])).optional(),
        notify: z
          .object({ slack_webhook: z.string().url().optional(), webhook: z.string().url().optional() })
          .strict()
          .optional(),
        audit_log: z.string().optional(),
      })
      .strict()
      .optional(),
    org: z
      .object({
        include: z.array(z.string()).default([]),
        exclude: z.array(z.string()).default([]),
        archived: z.boolean().default(false),
        forks: z.boolean().default(false),
        visibility: z.enum(['all', 'public', 'private', 'internal']).default('all'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type KeyscopeConfig = z.infer<typeof configSchema>;
export type IssuerSettings = z.infer<typeof issuerSettingsSchema>;
