'use client';
// Chart panels draw a few series per animation frame, those in view first, so no single main-thread task draws
// the whole page (recharts spends tens of ms per chart before its first line) — on the first draw and on
// every refresh. Panels register their
// placeholder element; an IntersectionObserver keeps "in view" current while the person scrolls.
import { startTransition, useEffect, useState, type RefObject } from 'react';

interface Job {
  el: Element;
  mount: () => void;
  inView: boolean;
  /** What drawing it costs, in series (a chart's work grows with its series; its points matter far less). */
  weight: number;
}

/**
 * Work per animation frame, in series: jobs are run in one frame while their weights add up to at most this (a
 * heavier job runs alone; jobs of one frame are one React commit, so their costs add up in one task). A panel
 * weighs its series plus FRAME_WEIGHT (the chart, axes and grid: a fixed cost). Two 3-series panels share a
 * frame; a 16-series panel has its own. The page's first panel takes two turns — its frame, then its lines
 * (./chart-plot) — because it also pays for compiling the chart code.
 */
const SERIES_PER_FRAME = 10;

/** What a panel's frame (chart, axes, grid, before any line) weighs, in series. */
export const FRAME_WEIGHT = 2;

const queue = new Set<Job>();
let frame = 0;
let observer: IntersectionObserver | null = null;

function nextJob(): Job {
  let next: Job | undefined;
  for (const j of queue) {
    if (!j.inView) continue;
    // Document order among the visible ones: the top-left panel first.
    if (!next || next.el.compareDocumentPosition(j.el) & Node.DOCUMENT_POSITION_PRECEDING) next = j;
  }
  return next ?? queue.values().next().value!;
}

/** The page's first job runs alone: it also pays for compiling the chart code. */
let warm = false;

function pump() {
  frame = 0;
  let weight = 0;
  while (queue.size) {
    const next = nextJob();
    if (weight > 0 && (!warm || weight + next.weight > SERIES_PER_FRAME)) break;
    queue.delete(next);
    observer?.unobserve(next.el);
    next.mount();
    weight += next.weight;
  }
  warm = true;
  if (queue.size) frame = requestAnimationFrame(pump);
}

function inViewport(el: Element): boolean {
  const r = el.getBoundingClientRect();
  return r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
}

/**
 * Runs `mount` at its turn (see SERIES_PER_FRAME); `el` is what the person must see for it to go first.
 * Returns the cancel function (for an effect's cleanup).
 */
/**
 * Runs `mount` at its turn (see SERIES_PER_FRAME); `el` is what the person must see for it to go first.
 * Returns the cancel function (for an effect's cleanup).
 */
export function schedule(el: Element, mount: () => void, weight: number): () => void {
  if (typeof requestAnimationFrame === 'undefined' || typeof IntersectionObserver === 'undefined') {
    mount();
    return () => undefined;
  }
  const job: Job = { el, mount, inView: inViewport(el), weight: Math.max(1, weight) };
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
 * isolating an instance) the previous value until its next turn. Panels of up to SERIES_PER_FRAME series in
 * all per frame, visible panels first, so neither the first draw nor a refresh of every chart is one long task.
 */
export function useProgressive<T>(ref: RefObject<Element | null>, value: T, weight = 1): T | undefined {
  const [shown, setShown] = useState<T | undefined>(undefined);
  useEffect(() => {
    const el = ref.current;
    if (!el || shown === value) return;
    return schedule(el, () => startTransition(() => setShown(value)), weight);
  }, [ref, value, shown, weight]);
  return shown;
}
