'use client';
// Chart panels draw one per animation frame, those in view first, so no single main-thread task draws
// the whole page (recharts spends tens of ms per chart before its first line) — on the first draw and on
// every refresh. Panels register their
// placeholder element; an IntersectionObserver keeps "in view" current while the person scrolls.
import { useEffect, useState, type RefObject } from 'react';

interface Job {
  el: Element;
  mount: () => void;
  inView: boolean;
}

const queue = new Set<Job>();
let frame = 0;
let observer: IntersectionObserver | null = null;

function pump() {
  frame = 0;
  if (queue.size === 0) return;
  let next: Job | undefined;
  for (const j of queue) {
    if (!j.inView) continue;
    // Document order among the visible ones: the top-left panel first.
    if (!next || next.el.compareDocumentPosition(j.el) & Node.DOCUMENT_POSITION_PRECEDING) next = j;
  }
  next ??= queue.values().next().value!;
  queue.delete(next);
  observer?.unobserve(next.el);
  next.mount();
  if (queue.size) frame = requestAnimationFrame(pump);
}

function inViewport(el: Element): boolean {
  const r = el.getBoundingClientRect();
  return r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
}

function schedule(el: Element, mount: () => void): () => void {
  if (typeof requestAnimationFrame === 'undefined' || typeof IntersectionObserver === 'undefined') {
    mount();
    return () => undefined;
  }
  const job: Job = { el, mount, inView: inViewport(el) };
  observer ??= new IntersectionObserver((entries) => {
    for (const e of entries) for (const j of queue) if (j.el === e.target) j.inView = e.isIntersecting;
  });
  observer.observe(el);
  queue.add(job);
  if (!frame) frame = requestAnimationFrame(pump);
  return () => {
    queue.delete(job);
    observer?.unobserve(el);
  };
}

/**
 * The value to draw: undefined until this panel's first turn, then `value` — and after a change (a refresh,
 * isolating an instance) the previous value until its next turn. At most one panel per frame, visible
 * panels first, so neither the first draw nor a refresh of every chart is one long task.
 */
export function useProgressive<T>(ref: RefObject<Element | null>, value: T): T | undefined {
  const [shown, setShown] = useState<T | undefined>(undefined);
  useEffect(() => {
    const el = ref.current;
    if (!el || shown === value) return;
    return schedule(el, () => setShown(value));
  }, [ref, value, shown]);
  return shown;
}
