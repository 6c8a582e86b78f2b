import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { displayText } from '@/lib/http/display';

// The configured regions (AFC_REGIONS) are the console's whole world. The client factory, the read cache
// and the metric layer refuse any other region here, before anything keyed by region is created, so a
// crafted region name can neither reach AWS nor grow per-region state.

export function isConfiguredRegion(region: string): boolean {
  return getEnv().regions.includes(region);
}

/** The refusal for a region outside AFC_REGIONS: 404, with the configured list so the person can correct it. */
export function regionNotConfigured(region: string): AppError {
  const regions = getEnv().regions;
  return new AppError('INVALID_REGION', `Region ${displayText(region)} is not configured for this console (AFC_REGIONS = ${regions.join(', ')}).`, {
    status: 404,
    fieldErrors: { region: [`Choose one of ${regions.join(', ')}.`] },
  });
}

/** `region` when it is configured; otherwise throws the 404 AppError above. */
export function assertConfiguredRegion(region: string): string {
  if (!isConfiguredRegion(region)) throw regionNotConfigured(region);
  return region;
}
