import { z } from 'zod';

// A rule file is `rules/<issuer>.toml`: an optional file-level `issuer`, then `[[rules]]` tables.
// Examples may hold generator templates ({{gen:NAME:ARG}}, {{rand:CHARSET:N}}) so that no
// live-looking token is ever committed; tests and `keyscope rules test` expand them.

const severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);

export const allowSchema = z
  .object({
    /** Case-insensitive substrings: a secret containing one is a placeholder, not a finding. */
    stopwords: z.array(z.string().min(1)).default([]),
    /** RE2 patterns tested against the secret. */
    regexes: z.array(z.string().min(1)).default([]),
    /** RE2 patterns tested against the whole line the secret is on. */
    lineRegexes: z.array(z.string().min(1)).default([]),
    /** RE2 patterns tested against the path. */
    paths: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'ids are lower-case kebab-case'),
    issuer: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/)
      .optional(),
    description: z.string().min(1),
    /** RE2 syntax. The secret is the group named `secret`, else group 1, else the whole match. */
    regex: z.string().min(1),
    /** Lower-case literals; the rule runs only on content containing one (case-insensitive). Empty = always runs. */
    keywords: z.array(z.string().min(2)).default([]),
    /** Every match holds one of the keywords (most rules). False when the keywords are context found elsewhere in
     * the file (a `kind: Secret` header, the token a host is the companion of): large blobs are then matched whole,
     * not only around keyword hits. `keyscope rules test` checks it against the examples. */
    keywordInMatch: z.boolean().default(true),
    /** Minimum Shannon entropy (bits/char) of the secret. */
    entropy: z.number().min(0).max(8).optional(),
    /** Named offline validator, see src/detect/checksums. */
    checksum: z.string().optional(),
    /** What the prefix means: classic-pat, fine-grained-pat, restricted-key, live, test… */
    tokenType: z.string().min(1),
    /** Base severity before any lookup (the risk model refines it). */
    severity: severity.optional(),
    /** Rule ids whose matches nearby complete this credential (AWS secret for a key id…). */
    companions: z.array(z.string()).default([]),
    /** How many lines around the match are searched for companions. */
    companionWindow: z.number().int().min(0).max(200).default(8),
    /** A companion-only rule never makes a finding of its own (Twilio SID, shop domain…). */
    companionOnly: z.boolean().default(false),
    /** The finding needs at least one of its companions nearby to be reported. */
    requiresCompanion: z.boolean().default(false),
    /** RE2 patterns: the rule runs only on paths matching one. */
    paths: z.array(z.string()).default([]),
    allow: allowSchema.default({ stopwords: [], regexes: [], lineRegexes: [], paths: [] }),
    /** Each must produce exactly one finding of this rule. */
    examples: z.array(z.string().min(1)).min(1, 'a rule needs at least one example'),
    /** Each must produce no finding of this rule. */
    counterexamples: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const ruleFileSchema = z
  .object({
    issuer: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/)
      .optional(),
    rules: z.array(ruleSchema).min(1),
  })
  .strict();

export type RuleSpec = z.infer<typeof ruleSchema> & { issuer: string; file: string };
export type RuleFile = z.infer<typeof ruleFileSchema>;
