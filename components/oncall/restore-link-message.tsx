'use client';
import Link from 'next/link';

const PHRASE = 'restore it to a point in time as a new cluster';

/**
 * A preflight message with its "restore it to a point in time as a new cluster" turned into a link to the
 * cluster page's point-in-time form (?restore=time opens it, #restore-time scrolls to it).
 */
export function RestoreLinkMessage({ message, region, clusterId }: { message: string; region: string; clusterId: string }) {
  const at = message.indexOf(PHRASE);
  if (at < 0) return <>{message}</>;
  const href = `/clusters/${encodeURIComponent(region)}/${encodeURIComponent(clusterId)}?restore=time#restore-time`;
  return (
    <>
      {message.slice(0, at)}
      <Link href={href} scroll={false} className="text-sky-700 underline dark:text-sky-400" data-testid="restore-time-link">
        {PHRASE}
      </Link>
      {message.slice(at + PHRASE.length)}
    </>
  );
}
