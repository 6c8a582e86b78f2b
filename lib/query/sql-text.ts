// SQL text handling for the Query page: splitting a script into statements and redacting password literals.
// Pure (no I/O): shared by the server action and its tests.

export type SqlDialect = 'mysql' | 'postgresql';

export function dialectOf(engine: string): SqlDialect {
  return /postgres/i.test(engine) ? 'postgresql' : 'mysql';
}

/** End (exclusive) of a quoted run starting at `i` (the opening quote). Doubled quotes escape; so does `\` in MySQL. */
function endOfQuoted(s: string, i: number, q: string, backslash: boolean): number {
  let j = i + 1;
  while (j < s.length) {
    const c = s[j];
    if (backslash && c === '\\') {
      j += 2;
      continue;
    }
    if (c === q) {
      if (s[j + 1] === q) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return s.length;
}

/** A PostgreSQL dollar-quote tag at `i` (`$$` or `$tag$`), or undefined. */
function dollarTag(s: string, i: number): string | undefined {
  const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(s.slice(i, i + 66));
  return m ? m[0] : undefined;
}

/** End (exclusive) of a block comment at `i`; PostgreSQL nests them. */
function endOfBlockComment(s: string, i: number, nests: boolean): number {
  let depth = 1;
  let j = i + 2;
  while (j < s.length) {
    if (nests && s.startsWith('/*', j)) {
      depth++;
      j += 2;
    } else if (s.startsWith('*/', j)) {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else j++;
  }
  return s.length;
}

/**
 * The end (exclusive) of the quoted text or comment starting at `i` and whether it is a comment; undefined when
 * `i` starts neither.
 */
function skipToken(s: string, i: number, dialect: SqlDialect): { end: number; comment: boolean } | undefined {
  const c = s[i];
  const pg = dialect === 'postgresql';
  if (c === "'") {
    // PostgreSQL E'…' strings take backslash escapes; a plain '…' does not (standard_conforming_strings).
    const escapes = !pg || (/[eE]/.test(s[i - 1] ?? '') && !/[A-Za-z0-9_]/.test(s[i - 2] ?? ''));
    return { end: endOfQuoted(s, i, "'", escapes), comment: false };
  }
  if (c === '"') return { end: endOfQuoted(s, i, '"', !pg), comment: false };
  if (c === '`' && !pg) return { end: endOfQuoted(s, i, '`', false), comment: false };
  if (c === '-' && s[i + 1] === '-') {
    const nl = s.indexOf('\n', i);
    return { end: nl < 0 ? s.length : nl + 1, comment: true };
  }
  if (c === '#' && !pg) {
    const nl = s.indexOf('\n', i);
    return { end: nl < 0 ? s.length : nl + 1, comment: true };
  }
  if (c === '/' && s[i + 1] === '*') return { end: endOfBlockComment(s, i, pg), comment: true };
  if (c === '$' && pg && !/[A-Za-z0-9_]/.test(s[i - 1] ?? '')) {
    const tag = dollarTag(s, i);
    if (tag) {
      const close = s.indexOf(tag, i + tag.length);
      return { end: close < 0 ? s.length : close + tag.length, comment: false };
    }
  }
  return undefined;
}

/**
 * Split a script into statements at top-level semicolons: quotes (', ", and ` in MySQL), comments (--, /* *\/,
 * and # in MySQL) and PostgreSQL dollar-quoted bodies ($$…$$, $fn$…$fn$) are not split. Segments that hold only
 * comments and whitespace are dropped; each statement is trimmed and has no trailing semicolon.
 */
export function splitStatements(text: string, dialect: SqlDialect): string[] {
  const out: string[] = [];
  let start = 0;
  let hasCode = false;
  let i = 0;
  const push = (end: number) => {
    const stmt = text.slice(start, end).trim();
    if (hasCode && stmt) out.push(stmt);
    hasCode = false;
  };
  while (i < text.length) {
    const tok = skipToken(text, i, dialect);
    if (tok) {
      if (!tok.comment) hasCode = true;
      i = tok.end;
      continue;
    }
    const c = text[i];
    if (c === ';') {
      push(i);
      start = i + 1;
    } else if (!/\s/.test(c)) hasCode = true;
    i++;
  }
  push(text.length);
  return out;
}

/** Statements that change the schema: sent with continueAfterTimeout, so a slow one is not left half-done. */
export function isDdl(statement: string): boolean {
  const head = statement.replace(/^(\s+|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, '');
  return /^(CREATE|ALTER|DROP|TRUNCATE|RENAME|COMMENT\s+ON|REINDEX|VACUUM|CLUSTER|OPTIMIZE|ANALYZE)\b/i.test(head);
}

const REDACTED = "'[redacted]'";

/** Keywords after which a string literal is a password (MySQL and PostgreSQL). */
const PASSWORD_KEYWORDS = /\b(?:IDENTIFIED\s+(?:WITH\s+(?:'[^']*'|"[^"]*"|`[^`]*`|[\w$]+)\s+)?(?:BY|AS)|(?:MASTER_|SOURCE_)?PASSWORD)\b/gi;

/**
 * Replace password literals with '[redacted]': the literal after IDENTIFIED BY / IDENTIFIED WITH plugin BY|AS,
 * PASSWORD (PostgreSQL CREATE/ALTER ROLE … PASSWORD 'x', MySQL SET PASSWORD = 'x', PASSWORD('x')),
 * MASTER_PASSWORD= and SOURCE_PASSWORD=. Everything else is kept as typed.
 */
export function redactSqlPasswords(text: string): string {
  let out = '';
  let last = 0;
  PASSWORD_KEYWORDS.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PASSWORD_KEYWORDS.exec(text))) {
    let j = m.index + m[0].length;
    // MySQL SET PASSWORD FOR 'user'@'host' = '…': the account is not the password.
    const forUser = /^\s+FOR\s+(?:'[^']*'|"[^"]*"|`[^`]*`|[\w$.]+)(?:\s*@\s*(?:'[^']*'|"[^"]*"|`[^`]*`|[\w$.%-]+))?/i.exec(text.slice(j, j + 300));
    if (forUser) j += forUser[0].length;
    // Skip `=`, `(`, whitespace, and a nested PASSWORD keyword (IDENTIFIED BY PASSWORD '…', PASSWORD = PASSWORD('…')).
    for (;;) {
      const skip = /^(?:\s+|=|\(|PASSWORD\b)/i.exec(text.slice(j, j + 16));
      if (!skip) break;
      j += skip[0].length;
    }
    const q = text[j];
    let end = -1;
    if (q === "'" || q === '"') end = endOfQuoted(text, j, q, true);
    else if (q === '$') {
      const tag = dollarTag(text, j);
      if (tag) {
        const close = text.indexOf(tag, j + tag.length);
        end = close < 0 ? text.length : close + tag.length;
      }
    }
    if (end < 0) continue;
    out += text.slice(last, j) + REDACTED;
    last = end;
    PASSWORD_KEYWORDS.lastIndex = end;
  }
  return out + text.slice(last);
}

/** UTF-8 size of a string in bytes. */
export function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}
