import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLSchema,
} from 'graphql';
import { parsed, usedCoordinates } from './check';
import type { RecentField, RegisteredOperation } from './registered-operations';

/** One deprecated element of the API schema and who still uses it. */
export interface Deprecation {
  /** "Type.field", "Type.field(arg)", "Input.field" or "Enum.VALUE": as usage records name them. */
  coordinate: string;
  kind: 'field' | 'argument' | 'input field' | 'enum value';
  reason: string;
  users: {
    client: string;
    source: string;
    /** The operation's name, or the coordinate for a recorded field. */
    operation: string;
    lastSeen?: string;
    count?: number;
  }[];
}

/** Every @deprecated field, argument, input field and enum value of a schema, by coordinate. */
export function deprecatedElements(schema: GraphQLSchema): Omit<Deprecation, 'users'>[] {
  const found: Omit<Deprecation, 'users'>[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (field.deprecationReason) found.push({ coordinate, kind: 'field', reason: field.deprecationReason });
        for (const argument of field.args) {
          if (argument.deprecationReason) {
            found.push({ coordinate: `${coordinate}(${argument.name})`, kind: 'argument', reason: argument.deprecationReason });
          }
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (field.deprecationReason) {
          found.push({ coordinate: `${type.name}.${field.name}`, kind: 'input field', reason: field.deprecationReason });
        }
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (value.deprecationReason) {
          found.push({ coordinate: `${type.name}.${value.name}`, kind: 'enum value', reason: value.deprecationReason });
        }
      }
    }
  }
  return found.sort((a, b) => a.coordinate.localeCompare(b.coordinate));
}

/**
 * The deprecated elements with the operations (manifests, recorded operations) and recorded
 * fields that still use them. Enum values count where an operation writes them; an enum value a
 * response carries is not visible in the operation.
 */
export function deprecationsInUse(
  schema: GraphQLSchema,
  operations: RegisteredOperation[],
  recentFields: RecentField[],
): Deprecation[] {
  const deprecations = deprecatedElements(schema).map((element) => ({ ...element, users: [] as Deprecation['users'] }));
  const byCoordinate = new Map(deprecations.map((deprecation) => [deprecation.coordinate, deprecation]));
  for (const operation of operations) {
    const document = parsed(operation.document);
    if (!document) continue;
    for (const coordinate of usedCoordinates(schema, document)) {
      byCoordinate.get(coordinate)?.users.push({
        client: operation.client,
        source: operation.source,
        operation: operation.name,
        ...(operation.lastSeen ? { lastSeen: operation.lastSeen, count: operation.count } : {}),
      });
    }
  }
  for (const field of recentFields) {
    byCoordinate.get(field.coordinate)?.users.push({
      client: field.client,
      source: 'recorded usage (field)',
      operation: field.coordinate,
      lastSeen: field.lastSeen,
      count: field.count,
    });
  }
  return deprecations;
}

/** The Markdown listing `npm run schema:deprecations` prints. */
export function renderDeprecations(deprecations: Deprecation[], usageWindow: string): string {
  if (deprecations.length === 0) return '# Deprecations\n\nThe API schema deprecates nothing.\n';
  const lines = [
    '# Deprecations',
    '',
    `Who still uses each deprecated element: manifests, and what the gateway recorded ${usageWindow}.`,
    '',
    '| Deprecated | Kind | Reason | Client | Known from | Operation | Last seen |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const d of deprecations) {
    const head = `| \`${d.coordinate}\` | ${d.kind} | ${d.reason.replace(/\|/g, '\\|')}`;
    if (d.users.length === 0) lines.push(`${head} | nobody | — | — | — |`);
    for (const user of d.users) {
      lines.push(`${head} | ${user.client} | ${user.source} | \`${user.operation}\` | ${user.lastSeen ?? '—'} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
