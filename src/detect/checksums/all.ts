// Side-effect imports: every offline validator and its token generator registers itself.
// Catalog part A (issuers in ISSUERS.md and the generic families):
import './base62crc.js';
import './gitlab.js';
import './grafana.js';
import './jwt.js';
import './discord.js';
import './sentry.js';
import './atlassian.js';
import './supabase.js';
import './basic-auth.js';
import './a-generators.js';
// Catalog part B (b-*.ts) appends its imports below.
import './b-bech32.js';
// Encoded secrets (Kubernetes Secret data, docker/npm auth): decode, then judge the decoded value.
import './c-encoded.js';
