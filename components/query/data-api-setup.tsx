'use client';
import { useEffect } from 'react';
import { useRouter } from 'next/navigation';
import { enableHttpEndpointAction, setQuerySecretAction } from '@/lib/query/actions';
import { useFormAction } from '@/components/forms/use-form-action';
import { FormMessage } from '@/components/forms/form-message';
import { Field, fieldProps, inputClass } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';

export interface DataApiState {
  region: string;
  clusterId: string;
  httpEndpointEnabled: boolean;
  secretSource: 'managed' | 'stored' | 'none';
  secretArn?: string;
  /** May enable the endpoint and choose the secret (admin). */
  canConfigure: boolean;
}

function useRefreshOnSuccess(ok: boolean | undefined) {
  const router = useRouter();
  useEffect(() => {
    if (ok) router.refresh();
  }, [ok, router]);
}

function EnableForm({ region, clusterId }: { region: string; clusterId: string }) {
  const { state, pending, onSubmit } = useFormAction(enableHttpEndpointAction);
  useRefreshOnSuccess(state?.ok);
  return (
    <form onSubmit={onSubmit} className="space-y-2">
      <input type="hidden" name="region" value={region} />
      <input type="hidden" name="clusterId" value={clusterId} />
      <SubmitButton pending={pending} pendingText="Enabling…">
        Enable the Data API
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

function SecretForm({ region, clusterId, current }: { region: string; clusterId: string; current?: string }) {
  const { state, pending, onSubmit } = useFormAction(setQuerySecretAction);
  useRefreshOnSuccess(state?.ok);
  const err = state && !state.ok ? state.fieldErrors?.arn?.[0] : undefined;
  return (
    <form onSubmit={onSubmit} className="space-y-2">
      <input type="hidden" name="region" value={region} />
      <input type="hidden" name="clusterId" value={clusterId} />
      <Field name="arn" label="Secret ARN (Secrets Manager)" error={err} hint="A secret with the database user's username and password, in the cluster's region.">
        <input {...fieldProps('arn', err, true)} defaultValue={current} className={`${inputClass} font-mono`} placeholder={`arn:aws:secretsmanager:${region}:123456789012:secret:…`} autoComplete="off" spellCheck={false} required />
      </Field>
      <SubmitButton pending={pending} pendingText="Checking…" tone="plain">
        Use this secret
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

/** The HTTP endpoint's state (with the Enable button for admins) and which secret the Data API signs in with. */
export function DataApiSetup(p: DataApiState) {
  return (
    <section aria-label="Data API" className="space-y-3 rounded border border-zinc-200 p-3 text-sm dark:border-zinc-800">
      <div className="space-y-1">
        <p>
          HTTP endpoint (Data API):{' '}
          <strong data-testid="http-endpoint-state">{p.httpEndpointEnabled ? 'enabled' : 'disabled'}</strong>
        </p>
        {!p.httpEndpointEnabled && !p.canConfigure ? <p className="text-zinc-600 dark:text-zinc-400">An admin enables it on this page.</p> : null}
        {!p.httpEndpointEnabled && p.canConfigure ? <EnableForm region={p.region} clusterId={p.clusterId} /> : null}
      </div>
      <div className="space-y-1">
        {p.secretSource === 'managed' ? (
          <p data-testid="secret-source">
            Signs in with the cluster&apos;s managed master secret <code className="break-all text-xs">{p.secretArn}</code>.
          </p>
        ) : p.secretSource === 'stored' ? (
          <p data-testid="secret-source">
            Signs in with the secret <code className="break-all text-xs">{p.secretArn}</code> chosen for this cluster.
          </p>
        ) : (
          <p data-testid="secret-source">This cluster has no managed master secret; {p.canConfigure ? 'enter the ARN of a secret to sign in with.' : 'an admin chooses a secret on this page.'}</p>
        )}
        {p.secretSource !== 'managed' && p.canConfigure ? <SecretForm region={p.region} clusterId={p.clusterId} current={p.secretArn} /> : null}
      </div>
    </section>
  );
}
