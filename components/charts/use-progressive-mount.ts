'use client';
// Chart panels mount one per animation frame, those in view first, so no single main-thread task draws
// the whole page (recharts spends tens of ms per chart before its first line). Panels register their
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

/** False until this panel's turn (at most one panel per frame, visible panels first), then true for good. */
export function useProgressiveMount(ref: RefObject<Element | null>): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || ready) return;
    return schedule(el, () => setReady(true));
  }, [ref, ready]);
  return ready;
}
