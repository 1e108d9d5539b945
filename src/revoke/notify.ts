// Optional notification after revocations: a summary (no secrets: fingerprints, redacted previews, outcomes) POSTed
// to a Slack incoming webhook and/or a generic JSON webhook that the user configured in [revoke.notify]. The POST goes
// through the shared client (offline switch, timeouts), allowed to exactly the configured URL's origin.
import type { HttpClient } from '../issuers/http.js';
import type { IssuerModule } from '../issuers/types.js';
import type { Revocation } from '../types.js';

export interface SummaryItem {
  fingerprint: string;
  issuer: string;
  redacted: string;
  result: Revocation['result'];
  secondsToRevoke?: number;
  detail?: string;
}

export interface RunSummary {
  tool: 'keyscope';
  event: 'revocation';
  runId: string;
  actor: string;
  mode: 'dry-run' | 'execute' | 'offline';
  at: string;
  counts: Partial<Record<Revocation['result'], number>>;
  items: SummaryItem[];
}

export interface NotifyTargets {
  slack_webhook?: string;
  webhook?: string;
}

const notifier = (id: string): IssuerModule => ({ id, name: 'notification webhook', hosts: [] });

function slackText(s: RunSummary): string {
  const c = s.counts;
  const head = `keyscope revocation run ${s.runId} by ${s.actor}: ${c.revoked ?? 0} revoked, ${c['already-revoked'] ?? 0} already revoked, ${c.failed ?? 0} failed, ${c.manual ?? 0} need manual action`;
  const lines = s.items
    .slice(0, 20)
    .map(
      (i) =>
        `• ${i.issuer} \`${i.redacted}\` (${i.fingerprint.slice(0, 12)}): ${i.result}${i.secondsToRevoke !== undefined ? ` in ${i.secondsToRevoke}s` : ''}`,
    );
  if (s.items.length > 20) lines.push(`… and ${s.items.length - 20} more`);
  return [head, ...lines].join('\n');
}

/** Sends the summary; returns one note per target (sent / failed), never throws. */
export async function notify(
  targets: NotifyTargets | undefined,
  summary: RunSummary,
  client: HttpClient,
): Promise<string[]> {
  const notes: string[] = [];
  const send = async (kind: string, url: string, body: unknown) => {
    try {
      // The webhook URL is itself a credential (Slack's embeds a secret path): scrub it from the request log.
      const secretPath = new URL(url).pathname;
      const http = client.bind(
        notifier(`notify-${kind}`),
        { secret: secretPath, companions: {}, fingerprint: 'notify' },
        url,
        'revoke',
      );
      const res = await http.request({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        mutating: true,
        retries: 1,
      });
      notes.push(
        res.status < 300
          ? `${kind} notification sent (HTTP ${res.status})`
          : `${kind} notification failed: HTTP ${res.status}`,
      );
    } catch (err) {
      notes.push(`${kind} notification failed: ${(err as Error).message}`);
    }
  };
  if (targets?.slack_webhook) await send('slack', targets.slack_webhook, { text: slackText(summary) });
  if (targets?.webhook) await send('webhook', targets.webhook, summary);
  return notes;
}
