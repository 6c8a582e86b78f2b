import { describe, expect, it, beforeEach } from 'vitest';
import { clearWriterHistory, noteWriter, writerSeenBetween } from './writer-history';

describe('writer history', () => {
  beforeEach(() => clearWriterHistory());
  it('answers the writer last seen before a moment, inside the window only', () => {
    noteWriter('us-east-1', 'c', 'i-1', 1_000);
    noteWriter('us-east-1', 'c', 'i-1', 2_000);
    noteWriter('us-east-1', 'c', 'i-2', 5_000);
    expect(writerSeenBetween('us-east-1', 'c', 0, 4_000)).toBe('i-1');
    expect(writerSeenBetween('us-east-1', 'c', 0, 6_000)).toBe('i-2');
    // Seen only before the window: not evidence for the window.
    expect(writerSeenBetween('us-east-1', 'c', 3_000, 4_000)).toBeUndefined();
    expect(writerSeenBetween('us-east-1', 'other', 0, 6_000)).toBeUndefined();
    expect(writerSeenBetween('eu-west-1', 'c', 0, 6_000)).toBeUndefined();
  });
  it('ignores an unknown writer', () => {
    noteWriter('us-east-1', 'c', undefined, 1_000);
    expect(writerSeenBetween('us-east-1', 'c', 0, 2_000)).toBeUndefined();
  });
});
