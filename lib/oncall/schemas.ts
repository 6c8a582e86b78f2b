import { z } from 'zod';
import { REGION_PATTERN } from '@/lib/aurora/rules';

const id = z
  .string()
  .trim()
  .min(1, 'Required.')
  .max(63)
  .regex(/^[a-zA-Z][a-zA-Z0-9-]*$/, 'Letters, digits and hyphens, starting with a letter.')
  .transform((s) => s.toLowerCase());
const region = z.string().trim().regex(REGION_PATTERN, 'Not a region name.');
const optional = z
  .string()
  .optional()
  .transform((s) => (s && s.trim() ? s.trim() : undefined));
const checkbox = z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean());

export const oncallSchemas = {
  failover: z.object({
    region,
    clusterId: id,
    /** '' or 'auto' = let Aurora choose by promotion tier. */
    target: optional.transform((s) => (s === 'auto' ? undefined : s?.toLowerCase())),
    confirm: z.string().default(''),
    reason: optional.pipe(z.string().max(500, 'Keep the reason under 500 characters.').optional()),
  }),
  backtrack: z.object({
    region,
    clusterId: id,
    /** ISO instant computed by the browser from the datetime-local value in the viewer's timezone. */
    backtrackTo: optional,
    useEarliest: checkbox,
    confirm: z.string().default(''),
    reason: optional.pipe(z.string().max(500, 'Keep the reason under 500 characters.').optional()),
  }),
  window: z.object({
    region,
    clusterId: id,
    // Plain decimal notation only: z.coerce.number would read "" as 0 (disable for good) and "0x10" as 16.
    hours: z.preprocess(
      (v) => (typeof v === 'number' ? v : /^\s*[+-]?\d+(\.\d+)?\s*$/.test(String(v ?? '')) ? Number(String(v).trim()) : Number.NaN),
      z.number({ error: 'Enter a number of hours.' }).min(0, 'At least 0 hours.').max(72, 'At most 72 hours.'),
    ),
    disableForGood: checkbox,
    confirm: optional,
  }),
};
