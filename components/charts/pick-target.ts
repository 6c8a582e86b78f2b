// Where a moment picked on a chart goes: the URL parameter the target form reads, the anchor to scroll to and
// the field to focus. The chart only calls onPick(t); this table is the whole contract with the forms.

export type PickTarget = 'backtrack' | 'restore';

export const PICK_TARGETS: Record<PickTarget, { param: string; anchor: string; input: string; hint: string; sentence: string }> = {
  backtrack: {
    param: 'backtrackTo',
    anchor: 'backtrack',
    input: '#backtrack input[type="datetime-local"]',
    hint: 'Click to backtrack to this moment',
    sentence: 'Click a moment on any chart to backtrack the cluster to it',
  },
  restore: {
    param: 'restoreTo',
    anchor: 'restore-time',
    input: '#restore-time input[type="datetime-local"]',
    hint: 'Click to restore a new cluster to this moment',
    sentence: 'Click a moment on any chart to restore it to a new cluster',
  },
};

/** Which forms a chart click may fill for this viewer and cluster (backtrack first: it was there first). */
export function pickTargets(o: { backtrackEnabled: boolean; canBacktrack: boolean; canRestore: boolean }): PickTarget[] {
  const out: PickTarget[] = [];
  if (o.backtrackEnabled && o.canBacktrack) out.push('backtrack');
  if (o.canRestore) out.push('restore');
  return out;
}
