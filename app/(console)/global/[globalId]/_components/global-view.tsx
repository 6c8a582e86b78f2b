'use client';

import { GlobalCard } from '@/components/oncall/global-card';
import type { GlobalStatus } from '@/lib/oncall/global-status';
import { AddSecondaryForm, DeleteGlobalForm, DetachForm } from './global-admin-forms';

/** The live part of the global database page: the card (members, lag, switchover/failover) and the admin controls. */
export function GlobalView(p: { initial: GlobalStatus; regions: string[]; canSwitchover: boolean; canFailover: boolean; canAdmin: boolean; twoPerson: boolean }) {
  return (
    <GlobalCard initial={p.initial} canSwitchover={p.canSwitchover} canFailover={p.canFailover} twoPerson={p.twoPerson}>
      {(s, kick) =>
        p.canAdmin ? (
          <div className="space-y-3 border-t border-zinc-200 pt-3 dark:border-zinc-800" data-testid="global-admin">
            {!s.db.failoverState ? <AddSecondaryForm status={s} regions={p.regions} onDone={kick} /> : null}
            {s.db.members
              .filter((m) => m.role === 'secondary' && m.region && m.clusterId)
              .map((m) => (
                <DetachForm key={m.arn} globalId={s.db.id} region={m.region!} clusterId={m.clusterId!} onDone={kick} />
              ))}
            {s.db.members.length === 0 ? <DeleteGlobalForm globalId={s.db.id} region={s.readFrom} /> : null}
          </div>
        ) : null
      }
    </GlobalCard>
  );
}
