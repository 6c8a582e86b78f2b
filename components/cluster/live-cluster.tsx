'use client';
import { createContext, useContext } from 'react';
import type { ClusterDTO } from '@/lib/aws/types';

/**
 * The cluster page's one source of truth for the cluster (topology, statuses, writer): the page's poller
 * provides it, and every live part of the page (failover header, dialogs, messages) reads it from here.
 * `poke()` asks the poller to read the cluster now (after an action, or when another poll saw a change).
 */
export interface LiveCluster {
  cluster: ClusterDTO;
  poke: () => void;
}

export const LiveClusterContext = createContext<LiveCluster | null>(null);

/** The live cluster of the page around this component, or null outside a cluster page. */
export function useLiveCluster(): LiveCluster | null {
  return useContext(LiveClusterContext);
}

/** What changes when anything visible on the cluster changes (status, members, roles, tiers). */
export function clusterSignature(c: ClusterDTO): string {
  return `${c.status}|${c.instances.map((i) => `${i.id}:${i.status}:${i.role}:${i.promotionTier}`).join(',')}`;
}
