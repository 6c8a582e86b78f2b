'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const LINKS = [
  { href: '/', label: 'Fleet' },
  { href: '/oncall', label: 'On-call' },
  { href: '/health', label: 'Health' },
  { href: '/approvals', label: 'Approvals' },
  { href: '/audit', label: 'Audit' },
];

function isActive(pathname: string, href: string) {
  if (href === '/') return pathname === '/' || pathname.startsWith('/clusters');
  return pathname === href || pathname.startsWith(`${href}/`);
}

export function NavLinks() {
  const pathname = usePathname() ?? '/';
  return (
    <nav aria-label="Main" className="order-last w-full overflow-x-auto sm:order-none sm:w-auto">
      <ul className="flex gap-1 text-sm">
        {LINKS.map((l) => {
          const active = isActive(pathname, l.href);
          return (
            <li key={l.href}>
              <Link
                href={l.href}
                aria-current={active ? 'page' : undefined}
                className={
                  active
                    ? 'block rounded bg-zinc-200 px-2 py-1 font-medium whitespace-nowrap dark:bg-zinc-800'
                    : 'block rounded px-2 py-1 whitespace-nowrap text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800'
                }
              >
                {l.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
