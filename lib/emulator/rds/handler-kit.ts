// What every RDS Query handler uses: the context it runs in and the parameter helpers (required values, Filters,
// MaxRecords/Marker paging, Tags, ServerlessV2ScalingConfiguration).
import type { QueryParams } from '../protocols/query';
import type { XmlValue } from '../protocols/xml';
import { Faults } from './errors';
import type { RdsModel } from './model';
import type { Filter } from './records';
import { decodeMarker, encodeMarker, parseInteger, parseNumber, validateMaxRecords } from './validation';

export interface Ctx {
  p: QueryParams;
  region: string;
  now: number;
  model: RdsModel;
}
export type Handler = (ctx: Ctx) => XmlValue;

export function required(p: QueryParams, name: string): string {
  const v = p.str(name);
  if (v === undefined || v === '') throw Faults.MissingParameter(`The request must contain the parameter ${name}`);
  return v;
}

export function filters(p: QueryParams): Filter[] {
  const list = p.structList('Filters', 'Filter') ?? [];
  return list.map((f) => {
    const name = f.str('Name');
    if (!name) throw Faults.MissingParameter('The request must contain the parameter Filters.Filter.N.Name');
    const values = f.strList('Values', 'Value') ?? [];
    if (values.length === 0) throw Faults.InvalidParameterValue(`The parameter Filters.Filter.N.Values must be provided for filter ${name}.`);
    return { Name: name, Values: values };
  });
}

export function page<T>(p: QueryParams, items: T[], min = 20, max = 100, dflt = 100): { items: T[]; marker?: string } {
  const size = validateMaxRecords(p.str('MaxRecords'), min, max, dflt);
  const offset = decodeMarker(p.str('Marker'));
  const slice = items.slice(offset, offset + size);
  return { items: slice, marker: offset + size < items.length ? encodeMarker(offset + size) : undefined };
}

export function tagsOf(p: QueryParams): { Key?: string; Value?: string }[] | undefined {
  return p.structList('Tags', 'Tag')?.map((t) => ({ Key: t.str('Key'), Value: t.str('Value') }));
}

export function serverlessV2Of(p: QueryParams) {
  const sv2 = p.sub('ServerlessV2ScalingConfiguration');
  if (!sv2) return undefined;
  return {
    MinCapacity: parseNumber('ServerlessV2ScalingConfiguration.MinCapacity', sv2.str('MinCapacity')),
    MaxCapacity: parseNumber('ServerlessV2ScalingConfiguration.MaxCapacity', sv2.str('MaxCapacity')),
    SecondsUntilAutoPause: parseInteger('ServerlessV2ScalingConfiguration.SecondsUntilAutoPause', sv2.str('SecondsUntilAutoPause')),
  };
}
