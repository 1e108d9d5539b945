import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, renderReport } from '../../src/report/index.js';
import { emptyReport, sampleReport, secretsOf } from './fixtures.js';

// Opens the HTML report in headless Chromium (Debian's /usr/bin/chromium) and works it like a user would.

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

// The DOM as the page callbacks see it (tsconfig has no DOM lib; these run in the browser).
type El = {
  dataset: Record<string, string>;
  hidden: boolean;
  cells: { length: number };
  nextElementSibling: El | null;
};

if (!hasChromium)
  console.warn(`html.test.ts: ${CHROMIUM} not found, browser checks skipped (apt-get install chromium)`);

describe('html report (static)', () => {
  it('is one self-contained file: no external URL to load, a CSP that forbids the network', () => {
    const html = renderReport(sampleReport(), 'html', { showSecrets: false, color: false });
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    for (const s of secretsOf(sampleReport())) expect(html.includes(s)).toBe(false);
  });

  it('escapes every HTML special character', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe.skipIf(!hasChromium)('html report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(html: string) {
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
    });
    page.on('pageerror', (err) => errors.push(String(err)));
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.setContent(html, { waitUntil: 'load' });
    return { page, requests, errors };
  }

  const visibleRows = (page: import('playwright-core').Page) =>
    page.$$eval('#findings tbody tr.finding', (rows) =>
      rows
        .filter((r) => !(r as unknown as El).hidden)
        .map((r) => {
          const d = (r as unknown as El).dataset;
          return {
            score: Number(d.score),
            severity: d.severity!,
            issuer: d.issuer!,
            status: d.status!,
            repos: d.repos!,
            cells: (r as unknown as El).cells.length,
          };
        }),
    );

  it('renders the table sorted by score, charts, and runs no injected script', async () => {
    const report = sampleReport();
    const { page, requests, errors } = await open(renderReport(report, 'html', { showSecrets: false, color: false }));
    const rows = await visibleRows(page);
    expect(rows).toHaveLength(report.findings.length);
    expect(rows.every((r) => r.cells === 9)).toBe(true);
    const scores = rows.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(await page.textContent('#count')).toBe(`${report.findings.length} of ${report.findings.length} findings`);
    // charts: one bar per severity, bar values add up to the findings
    const sevBars = await page.$$eval('#chart-severity g.bar', (gs) =>
      gs.map((g) => Number((g as unknown as El).dataset.value)),
    );
    expect(sevBars).toHaveLength(5);
    expect(sevBars.reduce((a, b) => a + b, 0)).toBe(report.findings.length);
    const issuerBars = await page.$$eval('#chart-issuer g.bar', (gs) =>
      gs.map((g) => (g as unknown as El).dataset.label),
    );
    expect(issuerBars).toContain('github');
    // the hostile path is text, not markup
    expect(await page.$$eval('script', (s) => s.length)).toBe(1);
    expect(await page.locator('text=<script>alert(1)</script>').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('sorts by a clicked header, both ways', async () => {
    const { page } = await open(renderReport(sampleReport(), 'html', { showSecrets: false, color: false }));
    await page.click('th[data-key="issuer"]');
    let issuers = (await visibleRows(page)).map((r) => r.issuer);
    expect(issuers).toEqual([...issuers].sort((a, b) => a.localeCompare(b)));
    expect(await page.getAttribute('th[data-key="issuer"]', 'aria-sort')).toBe('ascending');
    await page.click('th[data-key="issuer"]');
    issuers = (await visibleRows(page)).map((r) => r.issuer);
    expect(issuers).toEqual([...issuers].sort((a, b) => b.localeCompare(a)));
    await page.click('th[data-key="score"]');
    const scores = (await visibleRows(page)).map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // details rows stay with their finding
    const pairsOk = await page.$$eval('#findings tbody tr.finding', (rows) =>
      rows.every((r) => (r as unknown as El).nextElementSibling?.dataset.for === (r as unknown as El).dataset.id),
    );
    expect(pairsOk).toBe(true);
    await page.close();
  });

  it('filters by severity, issuer, status, repository and text', async () => {
    const report = sampleReport();
    const { page } = await open(renderReport(report, 'html', { showSecrets: false, color: false }));
    const count = (pred: (f: (typeof report.findings)[number]) => boolean) => report.findings.filter(pred).length;

    await page.selectOption('#f-severity', 'critical');
    let rows = await visibleRows(page);
    expect(rows.length).toBe(count((f) => f.risk?.severity === 'critical'));
    expect(rows.every((r) => r.severity === 'critical')).toBe(true);

    await page.selectOption('#f-severity', '');
    await page.selectOption('#f-issuer', 'stripe');
    await page.selectOption('#f-status', 'live');
    rows = await visibleRows(page);
    expect(rows.length).toBe(count((f) => f.issuer === 'stripe' && f.access?.status === 'live'));
    expect(await page.textContent('#count')).toBe(`${rows.length} of ${report.findings.length} findings`);

    await page.selectOption('#f-issuer', '');
    await page.selectOption('#f-status', '');
    await page.fill('#q', 'PASSROLE');
    rows = await visibleRows(page);
    expect(rows).toHaveLength(1);
    expect(rows[0].issuer).toBe('aws');

    await page.fill('#q', '');
    await page.selectOption('#f-repo', 'acme/infra');
    rows = await visibleRows(page);
    expect(rows.length).toBe(count((f) => f.occurrences.some((o) => o.repo === 'acme/infra')));
    expect(rows.length).toBeGreaterThan(0);
    await page.close();
  });

  it('expands a finding to its access details, reasons, NHI tags and advice', async () => {
    const report = sampleReport();
    const { page } = await open(renderReport(report, 'html', { showSecrets: false, color: false }));
    const top = [...report.findings].sort((a, b) => b.risk!.score - a.risk!.score)[0];
    const detail = page.locator(`tr.detail[data-for="${top.id}"]`);
    expect(await detail.isHidden()).toBe(true);
    await page.click(`tr.finding[data-id="${top.id}"]`);
    expect(await detail.isVisible()).toBe(true);
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain(top.risk!.reasons[0]);
    expect(text).toContain('NHI5');
    expect(text).toContain('Least-privilege replacement');
    expect(text).toContain(top.risk!.recommendation!.replacement);
    expect(text).toContain('Status');
    // the org view groups by repository
    const repos = await page.$$eval('#by-repo tbody tr', (rs) => rs.map((r) => (r as unknown as El).dataset.repo));
    expect(repos).toEqual(expect.arrayContaining(['acme/website', 'acme/api', 'acme/infra']));
    await page.click('a.repo-link[data-repo="acme/website"]');
    const rows = await visibleRows(page);
    expect(rows.every((r) => r.repos.split(' ').includes('acme/website'))).toBe(true);
    await page.close();
  });

  it('says "No secrets found" for an empty report', async () => {
    const { page, errors } = await open(renderReport(emptyReport(), 'html', { showSecrets: false, color: false }));
    expect(await page.textContent('main')).toContain('No secrets found');
    expect(errors).toEqual([]);
    await page.close();
  });
});
