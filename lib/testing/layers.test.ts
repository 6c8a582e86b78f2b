// Import direction and file size, checked over the source tree: nothing under lib/ imports from components/ or
// app/; nothing under components/ imports from app/; no source file under lib/, app/ or components/ is longer
// than MAX_LINES. Test files (*.test.ts, *.test.tsx) are not checked. Test support (lib/testing/) drives the app
// from outside, like a test, so its own imports are not layered; instead no product file may import it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const MAX_LINES = 500;
const ROOT = path.resolve(__dirname, '../..');
const LAYERS = ['lib', 'app', 'components'] as const;
type Layer = (typeof LAYERS)[number];
/** Which layers each layer must not import from. */
const FORBIDDEN: Record<Layer, readonly Layer[]> = { lib: ['components', 'app'], components: ['app'], app: [] };
const TEST_SUPPORT = 'lib/testing/';
const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '.js', '.mjs', '/index.ts', '/index.tsx'];

const isSource = (f: string) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.endsWith('.d.ts');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (isSource(name)) out.push(full);
  }
  return out;
}

/** Comments removed (block comments and whole-line `//` comments), so an example in a comment is not an import. */
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Module specifiers of static `import … from`, side-effect `import '…'`, `export … from` and `import('…')`. */
export function specifiers(src: string): string[] {
  const code = stripComments(src);
  const out: string[] = [];
  const staticRe = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]/g;
  const dynamicRe = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of code.matchAll(staticRe)) out.push(m[1]);
  for (const m of code.matchAll(dynamicRe)) out.push(m[1]);
  return out;
}

/** The repository-relative file a specifier names, or undefined for a package (or a specifier that names no file). */
function resolveSpecifier(fromFile: string, spec: string): { internal: boolean; file?: string } {
  let base: string;
  if (spec.startsWith('@/')) base = path.join(ROOT, spec.slice(2));
  else if (spec.startsWith('./') || spec.startsWith('../')) base = path.resolve(path.dirname(fromFile), spec);
  else return { internal: false };
  for (const suffix of RESOLVE_SUFFIXES) {
    const candidate = base + suffix;
    if (existsSync(candidate) && statSync(candidate).isFile()) return { internal: true, file: path.relative(ROOT, candidate).split(path.sep).join('/') };
  }
  return { internal: true };
}

const layerOf = (rel: string): Layer | undefined => LAYERS.find((l) => rel.startsWith(`${l}/`));

function scan() {
  const files = LAYERS.flatMap((l) => walk(path.join(ROOT, l)));
  const edges: { from: string; to: string }[] = [];
  const unresolved: string[] = [];
  const lineCounts = new Map<string, number>();
  for (const file of files) {
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    const src = readFileSync(file, 'utf8');
    lineCounts.set(rel, src.split('\n').length - (src.endsWith('\n') ? 1 : 0));
    for (const spec of specifiers(src)) {
      const r = resolveSpecifier(file, spec);
      if (!r.internal) continue;
      if (r.file) edges.push({ from: rel, to: r.file });
      else unresolved.push(`${rel}: '${spec}'`);
    }
  }
  const layerViolations = [
    ...new Set(
      edges
        .filter((e) => {
          if (e.from.startsWith(TEST_SUPPORT)) return false;
          if (e.to.startsWith(TEST_SUPPORT)) return true;
          const from = layerOf(e.from);
          const to = layerOf(e.to);
          return !!from && !!to && FORBIDDEN[from].includes(to);
        })
        .map((e) => `${e.from} -> ${e.to}`),
    ),
  ].sort();
  const longFiles = [...lineCounts].filter(([, n]) => n > MAX_LINES).map(([f]) => f).sort();
  return { files, edges, unresolved, layerViolations, longFiles, lineCounts };
}

describe('source layering', () => {
  const result = scan();

  it('parses the whole tree (the checks below cannot pass on an empty scan)', () => {
    expect(result.files.length).toBeGreaterThan(100);
    expect(result.edges.length).toBeGreaterThan(200);
    expect(result.edges.some((e) => e.from.startsWith('app/') && e.to.startsWith('lib/'))).toBe(true);
    expect(result.edges.some((e) => e.from.startsWith('components/') && e.to.startsWith('lib/'))).toBe(true);
  });

  it('resolves every @/ and relative specifier to a file', () => {
    expect(result.unresolved).toEqual([]);
  });

  it('lib/ never imports components/ or app/, components/ never imports app/, nothing imports lib/testing/', () => {
    expect(result.layerViolations).toEqual([]);
  });

  it(`no source file is longer than ${MAX_LINES} lines`, () => {
    const offenders = result.longFiles.map((f) => `${f} (${result.lineCounts.get(f)} lines)`);
    expect(offenders).toEqual([]);
  });

});

describe('specifiers', () => {
  it('finds static, type-only, re-export, side-effect, multi-line and dynamic specifiers, and skips comments', () => {
    const src = [
      "import a from '@/lib/a';",
      "import type { B } from './b';",
      "import {\n  c,\n  d,\n} from '../c';",
      "import 'server-only';",
      "export { e } from '@/components/e';",
      "export * from './f';",
      "const g = await import('@/app/g');",
      "// import x from '@/app/commented';",
      "/* import y from '@/app/block'; */",
      "export const h = 'not-a-specifier';",
    ].join('\n');
    expect(specifiers(src).sort()).toEqual(['../c', './b', './f', '@/app/g', '@/components/e', '@/lib/a', 'server-only'].sort());
  });
});
