// A minimal local AWS Secrets Manager (AWS JSON 1.1, X-Amz-Target `secretsmanager.<Operation>`):
// CreateSecret, GetSecretValue, DescribeSecret, ListSecrets. Secrets live in the emulator's SQLite database,
// one row per secret; their values are never logged. RDS-managed master secrets (`rds!cluster-<uuid>`) are
// created here by CreateDBCluster with ManageMasterUserPassword.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { EmulatorRequest, EmulatorResponse } from '../http-types';
import { rand, ACCOUNT_ID } from '../rds/records';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'secretsmanager';

interface SecretDoc {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  secretString?: string;
  /** Base64. */
  secretBinary?: string;
  versionId: string;
  tags: { Key: string; Value: string }[];
  owningService?: string;
  createdAt: number;
  changedAt: number;
}

export class SecretsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const notFound = () => new SecretsFault('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

export class SecretsStore {
  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS secrets (
      region TEXT NOT NULL, arn TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL,
      PRIMARY KEY (region, arn)
    );
    CREATE UNIQUE INDEX IF NOT EXISTS secrets_by_name ON secrets (region, name);`);
  }

  /** A secret by name, full ARN, or ARN without its 6-character suffix; undefined when there is none. */
  find(region: string, secretId: string): SecretDoc | undefined {
    const row = this.db
      .prepare('SELECT doc FROM secrets WHERE region = ? AND (arn = ? OR name = ? OR substr(arn, 1, length(arn) - 7) = ?)')
      .get(region, secretId, secretId, secretId) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as SecretDoc) : undefined;
  }

  list(region: string): SecretDoc[] {
    const rows = this.db.prepare('SELECT doc FROM secrets WHERE region = ? ORDER BY name').all(region) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as SecretDoc);
  }

  create(region: string, input: Omit<SecretDoc, 'arn' | 'versionId' | 'createdAt' | 'changedAt'> & { arn?: string }, now: number): SecretDoc {
    if (this.find(region, input.name)) throw new SecretsFault('ResourceExistsException', `The operation failed because the secret ${input.name} already exists.`);
    const doc: SecretDoc = {
      ...input,
      arn: input.arn ?? `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:${input.name}-${rand(6, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')}`,
      versionId: randomUUID(),
      createdAt: now,
      changedAt: now,
    };
    this.db.prepare('INSERT INTO secrets (region, arn, name, doc) VALUES (?, ?, ?, ?)').run(region, doc.arn, doc.name, JSON.stringify(doc));
    return doc;
  }

  /** The secret RDS creates for a cluster with ManageMasterUserPassword (its ARN is already on the cluster). */
  createManagedMasterSecret(region: string, arn: string, username: string, password: string, now: number): void {
    const name = /:secret:(.+)-[A-Za-z0-9]{6}$/.exec(arn)?.[1] ?? arn;
    this.create(
      region,
      {
        arn,
        name,
        description: 'Secret associated with primary RDS DB cluster',
        secretString: JSON.stringify({ username, password }),
        tags: [{ Key: 'aws:rds:primaryDBClusterArn', Value: arn }],
        owningService: 'rds',
      },
      now,
    );
  }

  /** RDS deletes a cluster's managed master secret with the cluster. */
  deleteSecret(region: string, arn: string): void {
    this.db.prepare('DELETE FROM secrets WHERE region = ? AND arn = ?').run(region, arn);
  }

  reset(): void {
    this.db.exec('DELETE FROM secrets');
  }
}

/** Generates a master password the way RDS does for a managed secret (letters and digits only here). */
export function generatedPassword(): string {
  return rand(28, 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789');
}

const secs = (ms: number) => ms / 1000;

function describe(s: SecretDoc) {
  return {
    ARN: s.arn,
    Name: s.name,
    Description: s.description,
    KmsKeyId: s.kmsKeyId,
    LastChangedDate: secs(s.changedAt),
    LastAccessedDate: secs(Math.floor(s.changedAt / 86_400_000) * 86_400_000),
    CreatedDate: secs(s.createdAt),
    Tags: s.tags.length ? s.tags : undefined,
    OwningService: s.owningService,
    SecretVersionsToStages: { [s.versionId]: ['AWSCURRENT'] },
  };
}

type Body = Record<string, unknown>;
const str = (b: Body, k: string): string | undefined => (typeof b[k] === 'string' ? (b[k] as string) : undefined);

function requireId(b: Body): string {
  const id = str(b, 'SecretId');
  if (!id) throw new SecretsFault('InvalidParameterException', 'You must provide a value for the SecretId parameter.');
  return id;
}

export function createSecretsService(store: SecretsStore) {
  const handlers: Record<string, (b: Body, req: EmulatorRequest) => unknown> = {
    CreateSecret: (b, req) => {
      const name = str(b, 'Name');
      if (!name) throw new SecretsFault('InvalidParameterException', 'You must provide a value for the Name parameter.');
      if (!/^[A-Za-z0-9/_+=.@!-]{1,512}$/.test(name)) throw new SecretsFault('InvalidParameterException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
      if (name.startsWith('rds!')) throw new SecretsFault('InvalidRequestException', 'You can\'t create a secret with the prefix "rds!" because that prefix is reserved for secrets that RDS manages.');
      const tags = Array.isArray(b.Tags) ? (b.Tags as { Key?: unknown; Value?: unknown }[]).map((t) => ({ Key: String(t.Key ?? ''), Value: String(t.Value ?? '') })) : [];
      const s = store.create(
        req.region,
        { name, description: str(b, 'Description'), kmsKeyId: str(b, 'KmsKeyId'), secretString: str(b, 'SecretString'), secretBinary: str(b, 'SecretBinary'), tags },
        req.now,
      );
      return { ARN: s.arn, Name: s.name, VersionId: s.versionId };
    },
    GetSecretValue: (b, req) => {
      const s = store.find(req.region, requireId(b));
      if (!s) throw notFound();
      const vid = str(b, 'VersionId');
      const stage = str(b, 'VersionStage');
      if ((vid && vid !== s.versionId) || (stage && stage !== 'AWSCURRENT')) {
        throw new SecretsFault('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for VersionId or VersionStage.");
      }
      return { ARN: s.arn, Name: s.name, VersionId: s.versionId, SecretString: s.secretString, SecretBinary: s.secretBinary, VersionStages: ['AWSCURRENT'], CreatedDate: secs(s.changedAt) };
    },
    DescribeSecret: (b, req) => {
      const s = store.find(req.region, requireId(b));
      if (!s) throw notFound();
      return describe(s);
    },
    ListSecrets: (b, req) => {
      const max = typeof b.MaxResults === 'number' ? b.MaxResults : 100;
      if (!Number.isInteger(max) || max < 1 || max > 100) throw new SecretsFault('InvalidParameterException', 'MaxResults must be between 1 and 100.');
      const all = store.list(req.region);
      const from = str(b, 'NextToken') ? Number(Buffer.from(str(b, 'NextToken')!, 'base64').toString()) || 0 : 0;
      const slice = all.slice(from, from + max);
      const next = from + max < all.length ? Buffer.from(String(from + max)).toString('base64') : undefined;
      return { SecretList: slice.map(describe), NextToken: next };
    },
  };

  const operationOf = (req: EmulatorRequest): string | undefined => {
    const t = req.headers['x-amz-target'] ?? '';
    return t.startsWith(`${TARGET_PREFIX}.`) ? t.slice(TARGET_PREFIX.length + 1) : undefined;
  };

  const error = (req: EmulatorRequest, code: string, message: string, status: number): EmulatorResponse => ({
    status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': req.requestId },
    body: JSON.stringify({ __type: code, message }),
  });

  return {
    operationOf,
    error,
    handle(req: EmulatorRequest): EmulatorResponse {
      const op = operationOf(req);
      const h = op && Object.prototype.hasOwnProperty.call(handlers, op) ? handlers[op] : undefined;
      if (!h) return error(req, 'UnknownOperationException', `The operation ${req.headers['x-amz-target'] ?? ''} is not supported by this endpoint.`, 400);
      let body: Body;
      try {
        const parsed: unknown = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        body = parsed as Body;
      } catch {
        return error(req, 'SerializationException', 'The request body is not valid JSON.', 400);
      }
      try {
        const out = h(body, req);
        return { status: 200, headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': req.requestId }, body: JSON.stringify(out), operation: op };
      } catch (e) {
        if (e instanceof SecretsFault) return { ...error(req, e.code, e.message, e.status), operation: op };
        throw e;
      }
    },
  };
}

export type SecretsService = ReturnType<typeof createSecretsService>;
