import { displayText } from './display';

/**
 * The message for a request path whose percent-encoding cannot be decoded (`%ff`, `%E0%A4%A`), or undefined
 * when every segment decodes. Checked in proxy.ts before Next's router, which would otherwise answer 500.
 */
export function malformedPathMessage(pathname: string): string | undefined {
  for (const segment of pathname.split('/')) {
    if (!segment.includes('%')) continue;
    try {
      decodeURIComponent(segment);
    } catch {
      return `The address is not valid percent-encoding (${displayText(segment)}): check the link, or encode "%" as %25.`;
    }
  }
  return undefined;
}
