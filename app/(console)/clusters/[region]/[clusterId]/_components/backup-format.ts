// Formatting for the backups section (pure).

/** "2026-12-02 13:04:05 UTC" for an ISO instant. */
export function utc(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The viewer's local time and the UTC equivalent, for times a person picks or compares against. */
export function localAndUtc(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toLocaleString()} (${utc(iso)})`;
}

export function formatGiB(g: number | undefined): string {
  if (g === undefined) return '—';
  return g < 1 ? `${Math.round(g * 1024)} MiB` : `${g} GiB`;
}

/** "03:00-03:30" → "03:00–03:30 UTC, daily". */
export function backupWindowText(w: string | undefined): string {
  return w ? `${w.replace('-', '–')} UTC, daily` : '—';
}

/** A default name for a new manual snapshot: `<cluster>-YYYYMMDD-HHMM` (UTC). */
export function suggestSnapshotId(clusterId: string, now = new Date()): string {
  const s = now.toISOString();
  return `${clusterId}-${s.slice(0, 10).replace(/-/g, '')}-${s.slice(11, 16).replace(':', '')}`.slice(0, 255);
}

/** A free default identifier for a restored cluster: `<source>-<suffix>`, max 63 characters. */
export function suggestRestoreId(clusterId: string, suffix: string): string {
  return `${clusterId.slice(0, 63 - suffix.length - 1)}-${suffix}`.replace(/-+/g, '-');
}
