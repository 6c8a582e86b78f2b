'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Field, fieldProps, inputClass } from '@/components/ui/field';
import { FormMessage } from '@/components/forms/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { useFormAction } from '@/components/forms/use-form-action';
import type { FormAction } from '@/lib/actions/define-action';
import { fieldError } from '@/components/forms/action-result';
import { checkIdentifier, checkMasterUsername, checkPassword, HINTS, parseTagLines } from '@/lib/aws/rds-rules';
import type { CreateClusterResult, CreateStep } from '@/lib/aws/types';
import type { CreateCatalog } from '@/lib/aws/rds/catalogue';

type Catalog = CreateCatalog;

export function CreateClusterForm(props: {
  regions: string[];
  initialCatalog: Catalog | null;
  initialError?: string;
  action: FormAction<CreateClusterResult>;
  retryAction: FormAction<CreateStep>;
}) {
  const router = useRouter();
  const { state, pending, onSubmit } = useFormAction(props.action);
  const [region, setRegion] = useState(props.initialCatalog?.region ?? props.regions[0]);
  const [engine, setEngine] = useState(props.initialCatalog?.engine ?? 'aurora-mysql');
  const [version, setVersion] = useState(props.initialCatalog?.version ?? '');
  const [catalog, setCatalog] = useState<Catalog | null>(props.initialCatalog);
  const [catalogError, setCatalogError] = useState<{ key: string; message: string } | undefined>(
    props.initialError ? { key: `${props.regions[0]}|aurora-mysql|`, message: props.initialError } : undefined,
  );
  const [manageSecret, setManageSecret] = useState(false);
  const [multiAZ, setMultiAZ] = useState(true);
  const [clientErrors, setClientErrors] = useState<Record<string, string | undefined>>({});

  // Refetch versions/classes/subnet groups when region, engine or version change.
  const wantedKey = `${region}|${engine}|${version}`;
  const matches = !!catalog && catalog.region === region && catalog.engine === engine && (!version || catalog.version === version);
  const loading = !matches && catalogError?.key !== wantedKey;
  useEffect(() => {
    if (matches || catalogError?.key === wantedKey) return;
    const ctl = new AbortController();
    const q = new URLSearchParams({ region, engine, ...(version ? { version } : {}) });
    fetch(`/api/clusters/catalog?${q}`, { signal: ctl.signal, cache: 'no-store' })
      .then(async (res) => {
        const body = await res.json();
        if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
        setCatalog(body as Catalog);
        setVersion((body as Catalog).version ?? '');
        setCatalogError(undefined);
      })
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setCatalogError({ key: wantedKey, message: (e as Error).message });
      });
    return () => ctl.abort();
  }, [region, engine, version, matches, wantedKey, catalogError?.key]);

  const done = state?.ok ? state.data : null;
  useEffect(() => {
    if (done?.complete) router.push(`/clusters/${encodeURIComponent(done.region)}/${encodeURIComponent(done.clusterId)}`);
  }, [done, router]);

  const err = (name: string) => clientErrors[name] ?? fieldError(state, name);
  // Blur hints. Read the value while the event is live (React runs the state updater later, when
  // currentTarget is null). Skip the hint when focus is moving to the submit button: showing it there
  // shifts the button down between mousedown and mouseup, so the click would be lost; the server's answer
  // shows the same message beside the field a moment later.
  const check = (name: string, fn: (v: string) => string | null) => (e: { currentTarget: { value: string }; relatedTarget?: EventTarget | null }) => {
    const next = e.relatedTarget as Element | null | undefined;
    if (next && typeof next.closest === 'function' && next.closest('button[type="submit"]')) return;
    const message = fn(e.currentTarget.value) ?? undefined;
    setClientErrors((c) => ({ ...c, [name]: message }));
  };
  const isPg = engine === 'aurora-postgresql';
  const classes = catalog?.engine === engine ? catalog.classes : [];
  const defaultClass = classes.find((c) => c.instanceClass === 'db.r6g.large')?.instanceClass ?? classes[0]?.instanceClass;

  if (done && !done.complete) return <PartialCreate result={done} retryAction={props.retryAction} instanceClass={String(defaultClass ?? 'db.r6g.large')} />;

  return (
    <form onSubmit={onSubmit} noValidate={false} className="space-y-5" aria-label="Create cluster">
      <FormMessage state={state} />
      {catalogError ? (
        <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-300">
          Could not load engine versions / instance classes: {catalogError.message}
        </p>
      ) : null}
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold">Engine and placement</legend>
        <Field name="region" label="Region" error={err('region')}>
          <select {...fieldProps('region', err('region'))} className={inputClass} value={region} onChange={(e) => { setRegion(e.target.value); setVersion(''); }}>
            {props.regions.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </Field>
        <Field name="engine" label="Engine" error={err('engine')}>
          <select {...fieldProps('engine', err('engine'))} className={inputClass} value={engine} onChange={(e) => { setEngine(e.target.value); setVersion(''); }}>
            <option value="aurora-mysql">Aurora MySQL (aurora-mysql)</option>
            <option value="aurora-postgresql">Aurora PostgreSQL (aurora-postgresql)</option>
          </select>
        </Field>
        <Field name="engineVersion" label="Engine version" error={err('engineVersion')} hint={loading ? 'Loading versions…' : undefined}>
          <select {...fieldProps('engineVersion', err('engineVersion'), loading)} className={inputClass} value={version} onChange={(e) => setVersion(e.target.value)} disabled={loading && !catalog}>
            {(catalog?.engine === engine ? catalog.versions : []).map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
                {v.description ? ` — ${v.description}` : ''}
              </option>
            ))}
          </select>
        </Field>
        <Field name="instanceClass" label="Instance class" error={err('instanceClass')}>
          <select key={`${engine}-${catalog?.version}`} {...fieldProps('instanceClass', err('instanceClass'))} className={inputClass} defaultValue={defaultClass} required>
            {classes.map((c) => (
              <option key={c.instanceClass} value={c.instanceClass}>
                {c.instanceClass}
              </option>
            ))}
          </select>
        </Field>
        <Field name="subnetGroup" label="Subnet group" error={err('subnetGroup')}>
          <select key={region} {...fieldProps('subnetGroup', err('subnetGroup'))} className={inputClass} defaultValue={catalog?.subnetGroups[0]?.name ?? ''}>
            {(catalog?.subnetGroups ?? []).map((g) => (
              <option key={g.name} value={g.name}>
                {g.name}
                {g.availabilityZones.length ? ` (${g.availabilityZones.join(', ')})` : ''}
              </option>
            ))}
          </select>
        </Field>
        <div className="flex items-end">
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="multiAZ" checked={multiAZ} onChange={(e) => setMultiAZ(e.target.checked)} />
            Multi-AZ (adds a reader in another Availability Zone)
          </label>
        </div>
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold">Identity and credentials</legend>
        <Field name="identifier" label="Cluster identifier" error={err('identifier')} hint="1–63 letters, digits or hyphens; starts with a letter; no trailing hyphen or “--”. Stored lowercase.">
          <input {...fieldProps('identifier', err('identifier'), true)} {...HINTS.identifier} className={inputClass} autoComplete="off" onBlur={check('identifier', (v) => checkIdentifier(v.trim()))} />
        </Field>
        <Field name="masterUsername" label="Master username" error={err('masterUsername')} hint="1–16 letters or digits, starting with a letter; not an engine reserved word.">
          <input {...fieldProps('masterUsername', err('masterUsername'), true)} {...HINTS.masterUsername} className={inputClass} defaultValue={isPg ? 'postgres' : 'admin'} key={engine} autoComplete="off" onBlur={check('masterUsername', (v) => checkMasterUsername(v.trim()))} />
        </Field>
        <div className="sm:col-span-2">
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="manageMasterPassword" checked={manageSecret} onChange={(e) => { setManageSecret(e.target.checked); setClientErrors((c) => ({ ...c, masterPassword: undefined })); }} />
            Manage the master password in AWS Secrets Manager
          </label>
        </div>
        {!manageSecret ? (
          <Field name="masterPassword" label="Master password" error={err('masterPassword')} hint={`8–41 printable ASCII characters, except / " @ ' and space.`}>
            <input type="password" {...fieldProps('masterPassword', err('masterPassword'), true)} {...HINTS.masterPassword} className={inputClass} autoComplete="new-password" onBlur={check('masterPassword', checkPassword)} />
          </Field>
        ) : (
          <p className="text-sm text-zinc-500 sm:col-span-2">Aurora generates the password and keeps it in Secrets Manager; the console never sees it.</p>
        )}
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold">Backups, backtrack and protection</legend>
        <Field name="backupRetention" label="Backup retention (days)" error={err('backupRetention')} hint="1–35 days.">
          <input type="number" {...fieldProps('backupRetention', err('backupRetention'), true)} {...HINTS.backupRetention} defaultValue={1} className={inputClass} />
        </Field>
        <Field
          name="backtrackHours"
          label="Backtrack window (hours)"
          error={err('backtrackHours')}
          hint={isPg ? 'Backtrack is available only for Aurora MySQL.' : '0–72 hours; 0 disables it. It can only be enabled when the cluster is created.'}
        >
          <input type="number" key={engine} {...fieldProps('backtrackHours', err('backtrackHours'), true)} {...HINTS.backtrackHours} defaultValue={0} disabled={isPg} className={inputClass} />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="encrypted" defaultChecked /> Encrypt storage (default AWS KMS key)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="deletionProtection" /> Deletion protection
        </label>
        <Field name="tags" label="Tags" error={err('tags')} hint="One key=value per line; keys 1–128, values 1–256 characters; no aws: or rds: prefix." className="sm:col-span-2">
          <textarea {...fieldProps('tags', err('tags'), true)} rows={3} className={inputClass} placeholder={'team=payments\nenv=staging'} onBlur={check('tags', (v) => parseTagLines(v).error)} />
        </Field>
      </fieldset>
      <div className="flex items-center gap-3">
        <SubmitButton pending={pending || !!done?.complete} pendingText="Creating…" disabled={!catalog || loading}>
          Create cluster
        </SubmitButton>
        <Link href="/" className="text-sm text-zinc-600 underline dark:text-zinc-400">
          Cancel
        </Link>
      </div>
    </form>
  );
}

function PartialCreate({ result, retryAction, instanceClass }: { result: CreateClusterResult; retryAction: FormAction<CreateStep>; instanceClass: string }) {
  const href = `/clusters/${encodeURIComponent(result.region)}/${encodeURIComponent(result.clusterId)}`;
  return (
    <section aria-label="Partially created" className="space-y-3 rounded border border-amber-400 bg-amber-50 p-4 dark:bg-amber-950/40">
      <h2 className="font-semibold">Cluster {result.clusterId} was only partly created</h2>
      <ul className="space-y-2 text-sm" data-testid="create-steps">
        {result.steps.map((s) => (
          <li key={s.id} className="space-y-1">
            <span className={s.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}>{s.ok ? '✓' : '✗'}</span>{' '}
            {s.kind === 'cluster' ? 'Cluster' : s.kind === 'writer' ? 'Writer instance' : 'Reader instance'} <code>{s.id}</code>:{' '}
            {s.ok ? 'created' : s.skipped ? 'not attempted (it needs the writer first)' : `failed — ${s.error}`}
            {!s.ok && s.kind !== 'cluster' ? <RetryStep step={s} result={result} action={retryAction} instanceClass={instanceClass} /> : null}
          </li>
        ))}
      </ul>
      <p className="text-sm">
        Nothing was rolled back: the cluster exists. Retry the missing step, or open the{' '}
        <Link href={href} className="text-sky-700 underline dark:text-sky-400">
          cluster page
        </Link>{' '}
        to add instances or delete it.
      </p>
    </section>
  );
}

function RetryStep({ step, result, action, instanceClass }: { step: CreateStep; result: CreateClusterResult; action: FormAction<CreateStep>; instanceClass: string }) {
  const { state, pending, onSubmit } = useFormAction(action);
  if (state?.ok) return <p className="text-emerald-700 dark:text-emerald-400">{state.message}</p>;
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="region" value={result.region} />
      <input type="hidden" name="clusterId" value={result.clusterId} />
      <input type="hidden" name="kind" value={step.kind === 'writer' ? 'writer' : 'reader'} />
      <input type="hidden" name="instanceId" value={step.id} />
      <input type="hidden" name="instanceClass" value={instanceClass} />
      <input type="hidden" name="az" value="" />
      <SubmitButton pending={pending} tone="plain" pendingText="Retrying…">
        Retry creating the {step.kind}
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
