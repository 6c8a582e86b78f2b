/**
 * A request-supplied value made safe to repeat in a message: control and non-ASCII characters shown as
 * \uXXXX escapes, cut to `max` characters (a 10 KB id is not echoed back in full).
 */
export function displayText(value: string, max = 64): string {
  const s = value.length > max ? value.slice(0, max) : value;
  const shown = s.replace(/[^\x20-\x7e]/gu, (c) => {
    const cp = c.codePointAt(0) ?? 0;
    return cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\u{${cp.toString(16)}}`;
  });
  return value.length > max ? `${shown}… (${value.length} characters)` : shown;
}
