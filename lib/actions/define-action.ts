import 'server-only';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ACTIONS, roleAtLeast, type AuditAction, type Role } from '@/lib/auth/permissions';
import { getSession, type SessionUser } from '@/lib/auth/session';
import { appendAudit } from '@/lib/audit/log';
import { AUDIT_SECRET_KEY_RE } from '@/lib/audit/secrets';
import { isAppError } from '@/lib/errors';
import { isConfiguredRegion, regionNotConfigured } from '@/lib/aws/regions';
import { getDb, isDbUnavailable } from '@/lib/db';
import { countAction } from '@/lib/metrics/registry';
import { log, redactSecrets } from '@/lib/log';

/**
 * THE wrapper every server action uses: validate → authorise → region scope → audit "requested" → run → audit outcome → result.
 * Expected failures come back as `{ ok: false, … }`; only Next's own redirect/notFound signals are re-thrown.
 */

export type ActionResult<T = unknown> =
  | { ok: true; data: T; message?: string; awsRequestId?: string }
  | { ok: false; error: string; code?: string; fieldErrors?: Record<string, string[]>; data?: T };

interface ActionContext {
  user: SessionUser;
  correlationId: string;
  setAwsRequestId(id?: string): void;
}

interface ActionSpec<S extends z.ZodType, T> {
  /** Permission (from ACTIONS) and audit name. */
  action: AuditAction;
  /** Parses the object built from FormData (repeated keys → arrays; "on" checkboxes → booleans via the schema). */
  schema: S;
  target: (input: z.infer<S>) => { region?: string; target?: string };
  /** The lowest role allowed when it is configurable (read per request); default ACTIONS[action]. */
  minRole?: () => Role;
  /** Rewrites the audited parameters (after the secret-key redaction), e.g. to redact passwords inside SQL text. */
  auditParams?: (params: Record<string, unknown>) => Record<string, unknown>;
  /**
   * Runs the operation. Return `outcome: 'pending-approval'` when the request was only recorded for a
   * second admin (lib/approvals wrote that audit row, with the approval id); the wrapper then writes no
   * "succeeded" row, because nothing has happened on AWS yet. Return `outcome: 'failed'` with `error` for a
   * failure that still carries data (e.g. the statements that ran before the one that failed): the wrapper
   * writes the "failed" row and answers `{ ok: false, error, code, data }`. `auditDetails` join the outcome row's
   * parameters (never result data).
   */
  run: (
    input: z.infer<S>,
    ctx: ActionContext,
  ) => Promise<{ data: T; message?: string; outcome?: 'succeeded' | 'pending-approval' | 'failed'; error?: string; code?: string; auditDetails?: Record<string, unknown> }>;
}

export type FormAction<T> = (prev: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;

/** Hidden form field (or plain-object key) that makes a submission idempotent per user for 10 minutes. */
const IDEMPOTENCY_FIELD = 'idempotencyKey';
const IDEMPOTENCY_TTL_MS = 10 * 60_000;

const MESSAGES = {
  unauthenticated: 'You are not signed in, or your session has expired. Sign in again.',
  validation: 'Some fields need attention.',
  duplicate: 'This request is already being processed. Wait for it to finish before submitting again.',
  dbDown: 'The console database is unreachable, so this action was refused: nothing was recorded and nothing was sent to AWS. Pages still show AWS data; try again when the database is back.',
  dbDownAfterCall:
    'The console database became unreachable while this action ran: AWS may have received the request, but its outcome could not be recorded. Check the cluster before trying again.',
};

const VERBS: Partial<Record<AuditAction, string>> = {
  'cluster.create': 'create a cluster',
  'cluster.delete': 'delete a cluster',
  'cluster.modify': 'modify a cluster',
  'cluster.backtrack': 'backtrack a cluster',
  'cluster.failover': 'fail over a cluster',
  'cluster.query': 'run SQL on a cluster',
  'snapshot.create': 'take a snapshot',
  'snapshot.delete': 'delete a snapshot',
  'snapshot.restore': 'restore a snapshot',
  'cluster.restore-to-time': 'restore a cluster to a point in time',
  'instance.create': 'add an instance',
  'instance.delete': 'delete an instance',
  'instance.reboot': 'reboot an instance',
  'instance.modify': 'modify an instance',
  'global.create': 'create a global database',
  'global.attach': 'add a region to a global database',
  'global.detach': 'detach a cluster from a global database',
  'global.delete': 'delete a global database',
  'global.switchover': 'switch over a global database',
  'global.failover': 'fail over a global database with data loss',
  'approval.decide': 'approve or reject requests',
  'user.manage': 'manage users',
};

/** FormData → plain object. Repeated keys become arrays; React's internal `$ACTION…` fields are dropped. */
export function formDataToObject(fd: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of fd.entries()) {
    if (k.startsWith('$ACTION')) continue;
    const value = typeof v === 'string' ? v : v;
    if (k in out) {
      const prev = out[k];
      out[k] = Array.isArray(prev) ? [...prev, value] : [prev, value];
    } else out[k] = value;
  }
  return out;
}

/** Next's redirect()/notFound()/forbidden() signal errors must pass through untouched. */
function isNextSignal(e: unknown): boolean {
  const d = (e as { digest?: unknown } | null)?.digest;
  return typeof d === 'string' && /^(NEXT_REDIRECT|NEXT_NOT_FOUND|NEXT_HTTP_ERROR_FALLBACK|DYNAMIC_SERVER_USAGE|BAILOUT_TO_CLIENT_SIDE_RENDERING)/.test(d);
}

function auditParams(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === IDEMPOTENCY_FIELD) continue;
    out[k] = typeof File !== 'undefined' && v instanceof File ? `[file ${v.name}, ${v.size} bytes]` : v;
  }
  return redactSecrets(out, AUDIT_SECRET_KEY_RE) as Record<string, unknown>;
}

/** A crafted request's fields cut to a few hundred characters each, so its refusal row stays small. */
function boundedParams(params: Record<string, unknown>): Record<string, unknown> {
  const cut = (v: unknown) => (typeof v === 'string' && v.length > 256 ? `${v.slice(0, 256)}… (${v.length} characters)` : v);
  return Object.fromEntries(Object.entries(params).slice(0, 50).map(([k, v]) => [k.slice(0, 64), Array.isArray(v) ? v.slice(0, 10).map(cut) : cut(v)]));
}

const specs = new WeakMap<object, ActionSpec<z.ZodType, unknown>>();

/** The pipeline, with the database's absence turned into a refusal a person can act on (and every outcome counted). */
async function execute<S extends z.ZodType, T>(spec: ActionSpec<S, T>, raw: Record<string, unknown>): Promise<ActionResult<T>> {
  const stage = { ran: false };
  let r: ActionResult<T>;
  try {
    r = await executeSteps(spec, raw, stage);
  } catch (e) {
    if (!isDbUnavailable(e)) {
      countAction(spec.action, isNextSignal(e) ? 'succeeded' : 'error');
      throw e;
    }
    log.error('server action refused: the console database is unreachable', { action: spec.action, err: e });
    r = { ok: false, error: stage.ran ? MESSAGES.dbDownAfterCall : MESSAGES.dbDown, code: 'DB_UNAVAILABLE' };
  }
  countAction(spec.action, r.ok ? 'succeeded' : (r.code ?? 'failed'));
  return r;
}

async function executeSteps<S extends z.ZodType, T>(spec: ActionSpec<S, T>, raw: Record<string, unknown>, stage: { ran: boolean }): Promise<ActionResult<T>> {
  const correlationId = randomUUID();
  const params = spec.auditParams ? spec.auditParams(auditParams(raw)) : auditParams(raw);
  const idemRaw = raw[IDEMPOTENCY_FIELD];
  const idempotencyKey = typeof idemRaw === 'string' && idemRaw.trim() ? idemRaw.trim().slice(0, 128) : undefined;
  const input: Record<string, unknown> = { ...raw };
  delete input[IDEMPOTENCY_FIELD];

  const parsed = spec.schema.safeParse(input);
  // Target for the audit even on refusal (best effort: from the parsed input, else the raw fields).
  const where = (): { region?: string; target?: string } => {
    try {
      if (parsed.success) return spec.target(parsed.data);
    } catch {
      /* fall through */
    }
    const s = (x: unknown) => (typeof x === 'string' ? x : undefined);
    return { region: s(raw.region), target: s(raw.clusterId) ?? s(raw.instanceId) ?? s(raw.target) };
  };

  // 1. Who is asking?
  const user = await getSession();
  if (user?.degraded) return { ok: false, error: MESSAGES.dbDown, code: 'DB_UNAVAILABLE' };
  if (!user) {
    await appendAudit({ actor: 'anonymous', role: 'anonymous', action: spec.action, ...where(), params, phase: 'refused', error: MESSAGES.unauthenticated, correlationId });
    return { ok: false, error: MESSAGES.unauthenticated, code: 'UNAUTHENTICATED' };
  }
  // 2. May they?
  const need: Role = spec.minRole?.() ?? ACTIONS[spec.action];
  if (!Object.prototype.hasOwnProperty.call(ACTIONS, spec.action) || !roleAtLeast(user.role, need)) {
    const error = `You need the ${need} role to ${VERBS[spec.action] ?? spec.action}; you are signed in as ${user.username} (${user.role}).`;
    await appendAudit({ actor: user.username, role: user.role, action: spec.action, ...where(), params, phase: 'refused', error, correlationId });
    return { ok: false, error, code: 'FORBIDDEN' };
  }
  // 3. Is the region one of the console's (AFC_REGIONS)? Checked before the rest of the input, so a crafted
  // request naming another region is refused as such whatever else it holds. Refused, audited, no AWS call.
  const rawRegion = where().region;
  const region = typeof rawRegion === 'string' && rawRegion.trim() ? rawRegion.trim() : undefined;
  if (region !== undefined && !isConfiguredRegion(region)) {
    const e = regionNotConfigured(region);
    await appendAudit({ actor: user.username, role: user.role, action: spec.action, ...where(), region: region.slice(0, 64), params: boundedParams(params), phase: 'refused', error: e.message, correlationId });
    return { ok: false, error: e.message, code: e.code, ...(e.fieldErrors ? { fieldErrors: e.fieldErrors } : {}) };
  }
  // 4. Is the input valid? (nothing written, no AWS call)
  if (!parsed.success) {
    const flat = z.flattenError(parsed.error);
    const fieldErrors: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(flat.fieldErrors as Record<string, string[] | undefined>)) if (v?.length) fieldErrors[k] = v;
    const form = flat.formErrors.length ? flat.formErrors.join(' ') : undefined;
    return { ok: false, error: form ?? MESSAGES.validation, code: 'VALIDATION', fieldErrors };
  }
  const data = parsed.data as z.infer<S>;

  // 5. Duplicate submission?
  if (idempotencyKey) {
    const db = getDb();
    const now = Date.now();
    await db.deleteFrom('action_idempotency').where('created_at', '<', now - IDEMPOTENCY_TTL_MS).execute();
    try {
      await db.insertInto('action_idempotency').values({ actor: user.id, key: idempotencyKey, action: spec.action, created_at: now, result: null }).execute();
    } catch {
      const prev = await db.selectFrom('action_idempotency').selectAll().where('actor', '=', user.id).where('key', '=', idempotencyKey).executeTakeFirst();
      if (prev?.result) return JSON.parse(prev.result) as ActionResult<T>;
      return { ok: false, error: MESSAGES.duplicate, code: 'DUPLICATE' };
    }
  }

  const finish = async (r: ActionResult<T>) => {
    if (idempotencyKey) {
      await getDb()
        .updateTable('action_idempotency')
        .set({ result: JSON.stringify(r) })
        .where('actor', '=', user.id)
        .where('key', '=', idempotencyKey)
        .execute()
        .catch((e) => log.warn('idempotency result not stored', { err: e }));
    }
    return r;
  };

  // 6. Audit "requested" BEFORE the call.
  const loc = where();
  const base = { actor: user.username, role: user.role, action: spec.action, ...loc, params, correlationId };
  await appendAudit({ ...base, phase: 'requested' });

  let awsRequestId: string | undefined;
  const ctx: ActionContext = { user, correlationId, setAwsRequestId: (id) => void (awsRequestId = id ?? awsRequestId) };
  try {
    stage.ran = true;
    const out = await spec.run(data, ctx);
    const outParams = out.auditDetails ? { ...params, ...(redactSecrets(out.auditDetails, AUDIT_SECRET_KEY_RE) as Record<string, unknown>) } : params;
    if (out.outcome === 'failed') {
      const error = out.error ?? 'The operation failed.';
      await appendAudit({ ...base, params: outParams, phase: 'failed', awsRequestId, error });
      return finish({ ok: false, error, code: out.code, data: out.data });
    }
    if (out.outcome !== 'pending-approval') await appendAudit({ ...base, params: outParams, phase: 'succeeded', awsRequestId });
    return finish({ ok: true, data: out.data, message: out.message, ...(awsRequestId ? { awsRequestId } : {}) });
  } catch (e) {
    if (isDbUnavailable(e)) throw e;
    if (isNextSignal(e)) {
      await appendAudit({ ...base, phase: 'succeeded', awsRequestId });
      if (idempotencyKey) await getDb().deleteFrom('action_idempotency').where('actor', '=', user.id).where('key', '=', idempotencyKey).execute();
      throw e;
    }
    if (isAppError(e)) {
      const reqId = e.awsRequestId ?? awsRequestId;
      await appendAudit({ ...base, phase: 'failed', awsRequestId: reqId, error: e.message });
      return finish({ ok: false, error: e.message, code: e.code, ...(e.fieldErrors ? { fieldErrors: e.fieldErrors } : {}) });
    }
    log.error('server action failed unexpectedly', { action: spec.action, correlationId, err: e });
    const error = `Unexpected error (reference ${correlationId.slice(0, 8)}); nothing further was changed. Try again, and report the reference if it persists.`;
    await appendAudit({ ...base, phase: 'failed', awsRequestId, error: `Unexpected error: ${e instanceof Error ? e.name : 'unknown'}` });
    return finish({ ok: false, error, code: 'INTERNAL' });
  }
}

/** Define a server action. The result works with React's useActionState: `(prev, formData) => result`. */
export function defineAction<S extends z.ZodType, T>(spec: ActionSpec<S, T>): FormAction<T> {
  const fn: FormAction<T> = async (_prev, formData) => execute(spec, formDataToObject(formData));
  specs.set(fn, spec as unknown as ActionSpec<z.ZodType, unknown>);
  return fn;
}

/**
 * Run an action from a plain object (tests, other server code) through exactly the same pipeline:
 *   await runAction(failoverClusterAction, { region: 'us-east-1', clusterId: 'x', confirm: 'x' })
 * Accepts either the function defineAction returned or a spec.
 */
export async function runAction<T>(action: FormAction<T> | ActionSpec<z.ZodType, T>, input: Record<string, unknown>): Promise<ActionResult<T>> {
  const spec = typeof action === 'function' ? (specs.get(action) as ActionSpec<z.ZodType, T> | undefined) : action;
  if (!spec) throw new Error('runAction: not an action created by defineAction');
  return execute(spec, input);
}

/** The input schema of a function made by defineAction (the security suite checks that its crafted inputs parse). */
export function actionSchemaOf(fn: unknown): z.ZodType | undefined {
  return typeof fn === 'function' ? specs.get(fn)?.schema : undefined;
}
