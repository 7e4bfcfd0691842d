import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import { CHROMIUM, CHROMIUM_FLAGS } from './harness';

/**
 * A loopback server for the chart browser tests: serves fixed files, every response under the app's
 * exact Content-Security-Policy header, so what the tests draw is held to the app's rules.
 */
export interface ChartServer {
  origin: string;
  close(): Promise<void>;
}

export type Files = Map<string, { type: string; body: string | Buffer }>;

export async function startChartServer(files: Files): Promise<ChartServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = files.get(path);
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(file ? 200 : 404, {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      ...(file ? { 'Content-Type': file.type } : {}),
    });
    res.end(file?.body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** Debian's Chromium; WebGL without a GPU needs its software rasteriser, which it no longer picks by itself. */
export function launchWithWebGL(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS, '--enable-unsafe-swiftshader'] });
}

export interface Watched {
  page: Page;
  requests: string[];
  errors: string[];
  violations(): Promise<unknown[]>;
}

/** A fresh page that records requests, console errors and CSP violations, opened at `url`. */
export async function watch(browser: Browser, url: string, locale: 'en' | 'ru', viewport = { width: 1240, height: 900 }): Promise<Watched> {
  const context = await browser.newContext({ viewport, locale: locale === 'ru' ? 'ru-RU' : 'en-GB', deviceScaleFactor: 1 });
  // Injected by the browser before any page script and exempt from the page's CSP: it only listens.
  await context.addInitScript(() => {
    const w = window as unknown as { __violations: unknown[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, at: `${e.sourceFile}:${e.lineNumber}` }),
    );
  });
  const page = await context.newPage();
  const watched: Watched = { page, requests: [], errors: [], violations: () => page.evaluate(() => (window as unknown as { __violations: unknown[] }).__violations) };
  page.on('request', (r) => watched.requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && watched.errors.push(m.text()));
  page.on('pageerror', (e) => watched.errors.push(e.message));
  await page.goto(url);
  return watched;
}

/** Nothing outside the loopback server was asked for, nothing failed, and the CSP was never tripped. */
export async function expectContained(w: Watched, origin: string): Promise<void> {
  expect(await w.violations()).toEqual([]);
  expect(w.errors).toEqual([]);
  for (const url of w.requests) {
    const parsed = new URL(url);
    if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') continue;
    expect(parsed.origin, url).toBe(origin);
  }
}

/** Share of a PNG's pixels that are not white or near-white, counted in a blank page. */
export async function inkShare(browser: Browser, png: Buffer): Promise<number> {
  const probe = await browser.newPage();
  try {
    return await probe.evaluate(async (b64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${b64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(image, 0, 0);
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 200 || data[i + 1]! < 200 || data[i + 2]! < 200) ink++;
      return ink / (data.length / 4);
    }, png.toString('base64'));
  } finally {
    await probe.close();
  }
}
