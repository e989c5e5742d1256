// @apollo/gateway's deepMerge (utilities/deepMerge.ts), same semantics, without its per-key
// hasOwn/`in` checks: a key can only be inherited — and then needs stock's defineOwn — if it is a
// name on Object.prototype (results are plain objects or have no prototype at all).
import { defineOwn } from '@apollo/gateway/dist/utilities/own';

const inheritedNames = new Set(Object.getOwnPropertyNames(Object.prototype));

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function deepMerge<Target extends object>(target: Target, source: object | null | undefined): Target {
  if (source === undefined || source === null) return target;
  const into = target as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const value = (source as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (inheritedNames.has(key)) defineOwn(into, key);
    const current = into[key];
    if (current && isObject(value)) {
      deepMerge(current as object, value);
    } else if (Array.isArray(value) && Array.isArray(current) && value.length === current.length) {
      for (let index = 0; index < value.length; index++) {
        if (isObject(current[index]) && isObject(value[index])) deepMerge(current[index], value[index]);
        else current[index] = value[index];
      }
    } else {
      into[key] = value;
    }
  }
  return target;
}
