import type { HTMLAttributes, ReactNode } from 'react';
import { cx } from './cx';

export function Card({ className, title, actions, children, ...rest }: HTMLAttributes<HTMLElement> & { title?: ReactNode; actions?: ReactNode }) {
  return (
    <section className={cx('rounded border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900', className)} {...rest}>
      {title || actions ? (
        <header className="mb-2 flex flex-wrap items-center justify-between gap-2">
          {title ? <h2 className="text-sm font-semibold">{title}</h2> : <span />}
          {actions}
        </header>
      ) : null}
      {children}
    </section>
  );
}
