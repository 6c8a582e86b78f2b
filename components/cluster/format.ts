export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function formatHours(seconds: number | undefined): string {
  if (!seconds) return 'off';
  const h = seconds / 3600;
  return `${Number.isInteger(h) ? h : h.toFixed(1)} h`;
}

/** What a person should expect while a status lasts. */
export function progressHint(status: string): string | null {
  switch (status) {
    case 'creating':
      return 'Being created. On AWS a cluster plus writer takes up to ~20 minutes; this page updates by itself.';
    case 'deleting':
      return 'Being deleted. It disappears from the list when done.';
    case 'modifying':
      return 'Applying a change.';
    case 'rebooting':
      return 'Restarting; connections drop for about a minute.';
    case 'failing-over':
      return 'Failing over: a reader is being promoted (typically under 35 s).';
    case 'backtracking':
      return 'Backtracking: the database is paused and rewinding.';
    case 'starting':
    case 'stopping':
      return `${status[0].toUpperCase()}${status.slice(1)}…`;
    default:
      return null;
  }
}
