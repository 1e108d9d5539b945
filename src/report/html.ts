import { CONTROL_TITLES, NHI_TITLES } from '../risk/nhi.js';
import type { Finding, Report, Severity } from '../types.js';
import { SEVERITIES } from '../types.js';
import {
  countByIssuer,
  countBySeverity,
  issuerLabel,
  keyKind,
  location,
  pluralize,
  type RenderOptions,
  reachSummary,
  safeReport,
  shortCommit,
  statsLine,
  statusOf,
  targetLabel,
} from './common.js';

// One self-contained HTML file: inline CSS and JS, no network (a CSP forbids it), every value escaped.
// Rows are rendered here, so the page reads without JS; the script only sorts, filters and expands.

export function escapeHtml(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
const e = escapeHtml;

const SEV_COLOR: Record<Severity, string> = {
  critical: '#b71c1c',
  high: '#e65100',
  medium: '#f9a825',
  low: '#1565c0',
  info: '#757575',
};
const SEV_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

function barChart(id: string, title: string, bars: { label: string; value: number; color: string }[]): string {
  const rowH = 22;
  const labelW = 120;
  const width = 420;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const h = bars.length * rowH + 30;
  const rows = bars
    .map((b, i) => {
      const y = 24 + i * rowH;
      const w = Math.round(((width - labelW - 50) * b.value) / max);
      return `<g class="bar" data-label="${e(b.label)}" data-value="${b.value}"><title>${e(b.label)}: ${b.value}</title><text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${e(b.label)}</text><rect x="${labelW}" y="${y}" width="${Math.max(w, b.value ? 2 : 0)}" height="${rowH - 6}" fill="${b.color}"></rect><text x="${labelW + w + 6}" y="${y + 14}">${b.value}</text></g>`;
    })
    .join('');
  return `<figure class="chart" id="${id}"><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${e(title)}" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}"><text x="0" y="14" class="ctitle">${e(title)}</text>${rows}</svg></figure>`;
}

function charts(findings: Finding[]): string {
  const sev = countBySeverity(findings);
  const issuers = countByIssuer(findings);
  const top = issuers.slice(0, 10).map(([k, v]) => ({ label: k, value: v, color: '#455a64' }));
  const rest = issuers.slice(10).reduce((n, [, v]) => n + v, 0);
  if (rest) top.push({ label: 'other', value: rest, color: '#90a4ae' });
  return `<section class="charts">${barChart(
    'chart-severity',
    'Findings by severity',
    SEVERITIES.map((s) => ({ label: s, value: sev[s], color: SEV_COLOR[s] })),
  )}${barChart('chart-issuer', 'Findings by issuer', top)}</section>`;
}

function list(items: string[]): string {
  return items.length ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : '';
}

function accessDetails(f: Finding): string {
  const a = f.access;
  if (!a) return '<p class="muted">Not looked up (offline).</p>';
  const rows: [string, string][] = [['Status', `${e(a.status)} (${e(a.source)}, checked ${e(a.checkedAt)})`]];
  const id = a.identity;
  if (id) {
    const parts = Object.entries(id)
      .filter(([, v]) => v)
      .map(([k, v]) => `${e(k)}: ${e(v)}`);
    if (parts.length) rows.push(['Identity', parts.join(', ')]);
  }
  if (a.tokenType) rows.push(['Token type', e(a.tokenType)]);
  if (a.scopes) rows.push(['Scopes', a.scopes.length ? a.scopes.map((s) => `<code>${e(s)}</code>`).join(' ') : 'none']);
  if (a.permissions?.length)
    rows.push(['Permissions', a.permissions.map((p) => `<code>${e(p.resource)}: ${e(p.access)}</code>`).join(' ')]);
  if (a.reach?.length)
    rows.push([
      'Reach',
      a.reach
        .map(
          (r) =>
            `${e(r.count)} ${e(r.kind)}${r.sample?.length ? ` (${r.sample.slice(0, 5).map(e).join(', ')}${r.sample.length > 5 ? ', …' : ''})` : ''}`,
        )
        .join('; '),
    ]);
  if (a.environment) rows.push(['Environment', e(a.environment)]);
  if (a.expiresAt !== undefined) rows.push(['Expires', a.expiresAt === null ? 'never' : e(a.expiresAt)]);
  if (a.createdAt) rows.push(['Created', e(a.createdAt)]);
  if (a.notes?.length) rows.push(['Notes', a.notes.map(e).join('<br>')]);
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function detailCell(f: Finding, showSecrets: boolean): string {
  const r = f.risk;
  const parts: string[] = [];
  if (showSecrets && f.secret) parts.push(`<p><strong>Secret:</strong> <code class="secret">${e(f.secret)}</code></p>`);
  parts.push(`<div class="cols"><div><h4>Why</h4>${list((r?.reasons ?? []).map(e))}`);
  if (r?.nhi?.length)
    parts.push(
      `<h4>OWASP NHI Top 10</h4>${list(r.nhi.map((t) => `<span class="tag">${t}</span> ${e(NHI_TITLES[t])}`))}`,
    );
  if (r?.controls?.length)
    parts.push(`<h4>NIST CSF 2.0</h4>${list(r.controls.map((c) => `${e(c)} ${e(CONTROL_TITLES[c] ?? '')}`))}`);
  if (r?.factors?.length)
    parts.push(
      `<h4>Factors</h4><table class="kv">${r.factors.map((x) => `<tr><th>${e(x.name)}</th><td>${x.value.toFixed(3)}${x.weight !== 1 ? ` ^${e(x.weight)}` : ''} — ${e(x.detail)}</td></tr>`).join('')}</table>`,
    );
  parts.push(`</div><div><h4>Access</h4>${accessDetails(f)}`);
  if (r?.recommendation) {
    const rec = r.recommendation;
    parts.push(
      `<h4>Least-privilege replacement</h4><p>${e(rec.replacement)}</p><ol>${rec.steps.map((s) => `<li>${e(s)}</li>`).join('')}</ol>`,
    );
    if (rec.consoleUrl)
      parts.push(
        `<p>Revoke or rotate: <a href="${e(rec.consoleUrl)}" rel="noreferrer noopener">${e(rec.consoleUrl)}</a></p>`,
      );
  }
  const occ = f.occurrences ?? [];
  parts.push(
    `<h4>Found in ${pluralize(occ.length, 'place')}</h4>${list(
      occ
        .slice(0, 200)
        .map(
          (o) =>
            `<code>${e(location(o))}</code>${o.commit ? ` <span class="muted">@${e(shortCommit(o.commit))}</span>` : ''}${o.author ? ` <span class="muted">${e(o.author)}</span>` : ''}${o.date ? ` <span class="muted">${e(o.date.slice(0, 10))}</span>` : ''}${o.inHead === false ? ' <span class="muted">(history only)</span>' : ''}`,
        ),
    )}${occ.length > 200 ? `<p class="muted">… and ${occ.length - 200} more</p>` : ''}</div></div>`,
  );
  return parts.join('');
}

function row(f: Finding, showSecrets: boolean): string {
  const sev = f.risk?.severity ?? 'info';
  const occ = f.occurrences ?? [];
  const repos = [...new Set(occ.map((o) => o.repo).filter(Boolean))] as string[];
  const where = occ.length ? `${location(occ[0])}${occ.length > 1 ? ` (+${occ.length - 1})` : ''}` : '';
  const search = [
    f.issuer,
    f.ruleId,
    keyKind(f),
    f.redacted,
    statusOf(f),
    ...(f.risk?.reasons ?? []),
    ...occ.map((o) => location(o)),
  ]
    .join(' ')
    .toLowerCase();
  const id = e(f.id);
  return `<tr class="finding sev-${sev}" data-id="${id}" data-score="${f.risk?.score ?? 0}" data-severity="${sev}" data-sevrank="${SEV_RANK[sev]}" data-issuer="${e(f.issuer)}" data-status="${e(statusOf(f))}" data-repos="${e(repos.join(' '))}" data-where="${e(where.toLowerCase())}" data-reach="${e(reachSummary(f).toLowerCase())}" data-key="${e(keyKind(f).toLowerCase())}" data-text="${e(search)}" tabindex="0" aria-expanded="false">
<td class="score">${f.risk?.score ?? '?'}</td><td><span class="sev" style="background:${SEV_COLOR[sev]}">${sev}</span></td><td>${e(issuerLabel(f))}</td><td><code>${e(showSecrets && f.secret ? f.secret : f.redacted)}</code><br><span class="muted">${e(keyKind(f))}</span></td><td class="status status-${e(statusOf(f).replace(/\s+/g, '-'))}">${e(statusOf(f))}</td><td>${e(reachSummary(f))}</td><td><code>${e(where)}</code></td><td>${(f.risk?.nhi ?? []).map((t) => `<span class="tag" title="${e(NHI_TITLES[t])}">${t}</span>`).join(' ')}</td><td class="why">${e(f.risk?.reasons?.[0] ?? '')}</td></tr>
<tr class="detail" data-for="${id}" hidden><td colspan="9">${detailCell(f, showSecrets)}</td></tr>`;
}

function byRepo(findings: Finding[]): string {
  const m = new Map<string, Finding[]>();
  for (const f of findings)
    for (const repo of new Set((f.occurrences ?? []).map((o) => o.repo).filter(Boolean) as string[]))
      m.set(repo, [...(m.get(repo) ?? []), f]);
  if (!m.size) return '';
  const rows = [...m.entries()]
    .map(([repo, fs]) => ({ repo, fs, max: Math.max(...fs.map((f) => f.risk?.score ?? 0)) }))
    .sort((a, b) => b.max - a.max || a.repo.localeCompare(b.repo))
    .map(({ repo, fs, max }) => {
      const c = countBySeverity(fs);
      const top = fs.reduce((a, b) => ((b.risk?.score ?? 0) > (a.risk?.score ?? 0) ? b : a));
      const sev = top.risk?.severity ?? 'info';
      return `<tr data-repo="${e(repo)}"><td><a href="#" class="repo-link" data-repo="${e(repo)}">${e(repo)}</a></td><td>${fs.length}</td><td>${max} <span class="sev" style="background:${SEV_COLOR[sev]}">${sev}</span></td><td>${SEVERITIES.filter(
        (s) => c[s],
      )
        .map((s) => `${c[s]} ${s}`)
        .join(', ')}</td><td>${[...new Set(fs.map((f) => f.issuer))].map(e).join(', ')}</td></tr>`;
    })
    .join('');
  return `<section id="by-repo"><h2>By repository</h2><table class="grid"><thead><tr><th>Repository</th><th>Findings</th><th>Highest</th><th>Severities</th><th>Issuers</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function options(values: string[], all: string): string {
  return `<option value="">${all}</option>${values.map((v) => `<option value="${e(v)}">${e(v)}</option>`).join('')}`;
}

const CSS = `
:root{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#212121;background:#fafafa}
body{margin:0 auto;max-width:1400px;padding:16px 24px}h1{margin:0 0 4px}h2{margin-top:28px}
.muted{color:#757575}.meta{color:#616161;margin:0 0 12px}
.cards{display:flex;gap:10px;flex-wrap:wrap;margin:12px 0}.card{background:#fff;border-radius:6px;padding:8px 14px;border-left:6px solid #999;box-shadow:0 1px 2px #0002;min-width:90px}
.card b{font-size:1.5em;display:block}
.charts{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}.chart{background:#fff;margin:0;padding:8px;border-radius:6px;box-shadow:0 1px 2px #0002}
.chart text{font-size:12px;fill:#333}.chart .ctitle{font-weight:600;font-size:13px}
.filters{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin:16px 0 8px}.filters input,.filters select{padding:5px 8px;font:inherit}
table.grid{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px #0002}
.grid th,.grid td{padding:6px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top;font-size:14px}
.grid thead th{background:#37474f;color:#fff;position:sticky;top:0}.grid thead th[data-key]{cursor:pointer;user-select:none}
.grid thead th[aria-sort=ascending]::after{content:" ▲"}.grid thead th[aria-sort=descending]::after{content:" ▼"}
tr.finding{cursor:pointer}tr.finding:hover{background:#f5f5f5}td.score{font-weight:700;font-size:16px;text-align:right}
.sev{color:#fff;border-radius:3px;padding:1px 6px;font-size:12px;text-transform:uppercase}
.tag{display:inline-block;background:#eceff1;border-radius:3px;padding:0 5px;font-size:12px;margin:1px}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;word-break:break-all}
.why{max-width:420px;color:#424242}.status-live{color:#b71c1c;font-weight:600}.status-invalid,.status-inactive{color:#757575}
tr.detail td{background:#fcfcfc;padding:10px 16px}.cols{display:flex;gap:32px;flex-wrap:wrap}.cols>div{flex:1;min-width:320px}
table.kv th{text-align:left;padding:2px 10px 2px 0;color:#555;font-weight:600;vertical-align:top}table.kv td{padding:2px 0}
h4{margin:10px 0 4px}ul,ol{margin:4px 0;padding-left:20px}.secret{background:#ffebee}
`;

const JS = `
(function(){
  var table=document.getElementById('findings');if(!table)return;
  var tbody=table.tBodies[0];
  function pairs(){var out=[];var rows=tbody.querySelectorAll('tr.finding');for(var i=0;i<rows.length;i++){out.push([rows[i],tbody.querySelector('tr.detail[data-for="'+CSS.escape(rows[i].dataset.id)+'"]')]);}return out;}
  var heads=table.tHead.querySelectorAll('th[data-key]');
  for(var h=0;h<heads.length;h++){heads[h].addEventListener('click',function(ev){
    var th=ev.currentTarget,key=th.dataset.key,num=th.dataset.type==='num';
    var dir=th.getAttribute('aria-sort')==='descending'?'ascending':(th.getAttribute('aria-sort')==='ascending'?'descending':(num?'descending':'ascending'));
    for(var k=0;k<heads.length;k++)heads[k].removeAttribute('aria-sort');th.setAttribute('aria-sort',dir);
    var sign=dir==='ascending'?1:-1;
    var ps=pairs();ps.sort(function(a,b){var x=a[0].dataset[key]||'',y=b[0].dataset[key]||'';
      var c=num?(Number(x)-Number(y)):x.localeCompare(y);if(!c)c=Number(b[0].dataset.score)-Number(a[0].dataset.score);return sign*c;});
    ps.forEach(function(p){tbody.appendChild(p[0]);if(p[1])tbody.appendChild(p[1]);});
  });}
  var q=document.getElementById('q'),fs=document.getElementById('f-severity'),fi=document.getElementById('f-issuer'),
      fst=document.getElementById('f-status'),fr=document.getElementById('f-repo'),count=document.getElementById('count');
  function apply(){
    var text=(q.value||'').toLowerCase().trim(),shown=0,ps=pairs();
    ps.forEach(function(p){var d=p[0].dataset;
      var ok=(!fs.value||d.severity===fs.value)&&(!fi.value||d.issuer===fi.value)&&(!fst.value||d.status===fst.value)&&
        (!fr||!fr.value||(' '+d.repos+' ').indexOf(' '+fr.value+' ')>=0)&&(!text||d.text.indexOf(text)>=0);
      p[0].hidden=!ok;if(!ok&&p[1])p[1].hidden=true;if(ok)shown++;});
    count.textContent=shown+' of '+ps.length+' findings';
  }
  [q,fs,fi,fst,fr].forEach(function(el){if(el){el.addEventListener('input',apply);el.addEventListener('change',apply);}});
  tbody.addEventListener('click',function(ev){var tr=ev.target.closest('tr.finding');if(!tr||ev.target.closest('a'))return;
    var d=tbody.querySelector('tr.detail[data-for="'+CSS.escape(tr.dataset.id)+'"]');if(d){d.hidden=!d.hidden;tr.setAttribute('aria-expanded',String(!d.hidden));}});
  tbody.addEventListener('keydown',function(ev){if(ev.key==='Enter'&&ev.target.matches('tr.finding'))ev.target.click();});
  var links=document.querySelectorAll('a.repo-link');for(var l=0;l<links.length;l++)links[l].addEventListener('click',function(ev){ev.preventDefault();if(fr){fr.value=ev.currentTarget.dataset.repo;apply();table.scrollIntoView();}});
  apply();
})();
`;

export function renderHtml(report: Report, opts: RenderOptions): string {
  const r = safeReport(report, opts.showSecrets);
  const sev = countBySeverity(r.findings);
  const issuers = [...new Set(r.findings.map((f) => f.issuer))].sort();
  const statuses = [...new Set(r.findings.map(statusOf))].sort();
  const repos = [
    ...new Set(r.findings.flatMap((f) => (f.occurrences ?? []).map((o) => o.repo).filter(Boolean))),
  ].sort() as string[];
  const cards = SEVERITIES.map(
    (s) => `<div class="card" style="border-color:${SEV_COLOR[s]}" data-severity="${s}"><b>${sev[s]}</b>${s}</div>`,
  ).join('');
  const body = r.findings.length
    ? `<section class="cards">${cards}</section>${charts(r.findings)}
<section class="filters" aria-label="Filters"><input id="q" type="search" placeholder="Filter by text (path, issuer, reason…)" aria-label="Text filter">
<select id="f-severity" aria-label="Severity">${options(SEVERITIES as unknown as string[], 'All severities')}</select>
<select id="f-issuer" aria-label="Issuer">${options(issuers, 'All issuers')}</select>
<select id="f-status" aria-label="Status">${options(statuses, 'All statuses')}</select>
${repos.length ? `<select id="f-repo" aria-label="Repository">${options(repos, 'All repositories')}</select>` : ''}<span id="count" class="muted"></span></section>
<table id="findings" class="grid"><thead><tr><th data-key="score" data-type="num" aria-sort="descending">Score</th><th data-key="sevrank" data-type="num">Severity</th><th data-key="issuer">Issuer</th><th data-key="key">Key</th><th data-key="status">Status</th><th data-key="reach">Reaches</th><th data-key="where">Where</th><th>NHI</th><th>Why</th></tr></thead>
<tbody>
${r.findings.map((f) => row(f, opts.showSecrets)).join('\n')}
</tbody></table>
${byRepo(r.findings)}`
    : '<p class="empty">No secrets found.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>keyscope report: ${e(targetLabel(r))}</title>
<style>${CSS}</style></head>
<body>
<header><h1>keyscope report</h1><p class="meta">${e(pluralize(r.findings.length, 'finding'))} · ${e(targetLabel(r))} · ${e(statsLine(r))} · keyscope ${e(r.version)}${r.generatedAt ? ` · ${e(r.generatedAt)}` : ''}</p>${opts.showSecrets ? '<p class="secret"><strong>This report contains full secrets (--show-secrets). Do not share it.</strong></p>' : ''}</header>
<main>${body}</main>
<script>${JS}</script>
</body></html>
`;
}
