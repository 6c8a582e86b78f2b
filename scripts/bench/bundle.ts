// First-load JS per route, measured the way a browser receives it: fetch the route's HTML from the
// running server (signed in), collect every <script src> chunk, download each and gzip it (level 9,
// what a CDN would serve). Inline scripts (the RSC payload) are reported apart: they are data, not code.
import { gzipSync } from 'node:zlib';
import type { Session } from './http';

export interface FirstLoadJs {
  route: string;
  chunks: number;
  rawBytes: number;
  gzipBytes: number;
  inlineGzipBytes: number;
}

const chunkCache = new Map<string, { raw: number; gz: number }>();

export async function firstLoadJs(session: Session, route: string, anonymous = false): Promise<FirstLoadJs> {
  const res = anonymous ? await fetch(new URL(route, session.baseUrl)) : await session.fetch(route);
  const html = await res.text();
  if (res.status !== 200) throw new Error(`first-load JS: GET ${route} gave HTTP ${res.status}`);
  const srcs = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)) srcs.add(m[1].replace(/&amp;/g, '&'));
  // Next also preloads chunks it will execute on hydration (<link rel="preload" as="script">).
  for (const m of html.matchAll(/<link\b[^>]*\bas="script"[^>]*>/g)) {
    const href = /\bhref="([^"]+)"/.exec(m[0]);
    if (href) srcs.add(href[1].replace(/&amp;/g, '&'));
  }
  let raw = 0;
  let gz = 0;
  for (const src of srcs) {
    const url = new URL(src, session.baseUrl).toString();
    let c = chunkCache.get(url);
    if (!c) {
      const r = await fetch(url);
      if (r.status !== 200) throw new Error(`first-load JS: ${src} gave HTTP ${r.status}`);
      const buf = Buffer.from(await r.arrayBuffer());
      c = { raw: buf.length, gz: gzipSync(buf, { level: 9 }).length };
      chunkCache.set(url, c);
    }
    raw += c.raw;
    gz += c.gz;
  }
  let inline = '';
  for (const m of html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) inline += m[1];
  return { route, chunks: srcs.size, rawBytes: raw, gzipBytes: gz, inlineGzipBytes: gzipSync(Buffer.from(inline), { level: 9 }).length };
}
