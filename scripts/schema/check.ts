import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import {
  Kind,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { fieldsOf } from '@cloudmart/gateway/usage';
import type { RecentField, RegisteredOperation } from './registered-operations';

/**
 * The decision of `npm run schema:check`: every change between the published API schema and the
 * proposed one, classified by @graphql-inspector/core (BREAKING, DANGEROUS, NON_BREAKING, with the
 * library's documented criteria), and which known client each breaking change reaches.
 *
 * A registered operation is broken when it validated against the published schema and does not
 * against the proposed one (graphql-js validation), or when it uses something a BREAKING change
 * touches (making an output field nullable leaves the operation valid, yet the client may not
 * handle the null). A recently used field coordinate from the gateway's records blocks the breaking
 * changes that touch it the same way. A breaking change nothing reaches is safe to ship; the
 * result says what was checked to show it.
 */
export type Level = 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';

export interface Affected {
  client: string;
  /** Where the client is known from: a manifest, or recorded usage (an operation or a field). */
  source: string;
  /** The operation's name (or id); for recorded fields, the coordinate itself. */
  operation: string;
  /** The schema coordinate or path that breaks (`Product.sku`, `Query.products.first`). */
  path: string;
  /** What breaks, in words (the change's message or the validation error). */
  detail: string;
  lastSeen?: string;
}

export interface ClassifiedChange {
  level: Level;
  type: string;
  message: string;
  path?: string;
  reason?: string;
  /** For breaking changes: the clients' operations and recorded fields it reaches. */
  affected: Affected[];
}

export interface SchemaCheckInput {
  /** The published API schema; undefined before the first publish (no diff, operations validated). */
  published?: GraphQLSchema;
  proposed: GraphQLSchema;
  operations: RegisteredOperation[];
  recentFields: RecentField[];
}

export interface SchemaCheckResult {
  ok: boolean;
  changes: ClassifiedChange[];
  /** Everything that blocks: one entry per client, operation and broken path. */
  broken: Affected[];
  /**
   * Partner and recorded operations invalid against the published schema and the proposed one:
   * broken before this change, listed, not blocking.
   */
  alreadyInvalid: Affected[];
}

const levelOf = (change: Change): Level =>
  change.criticality.level === CriticalityLevel.Breaking
    ? 'BREAKING'
    : change.criticality.level === CriticalityLevel.Dangerous
      ? 'DANGEROUS'
      : 'NON_BREAKING';

/** What one operation uses: field and argument coordinates, and the named types they involve. */
interface Footprint {
  coordinates: Set<string>;
  types: Set<string>;
}

/**
 * The schema coordinates a document uses, as the gateway records them (`fieldsOf`: "Type.field",
 * "Type.field(arg)", "Input.field"), plus enum values written in it ("Enum.VALUE").
 */
export function usedCoordinates(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  // Every operation at once: each fragment is walked once, however many operations spread it.
  const used = new Set<string>(fieldsOf(schema, document));
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      EnumValue(node) {
        const type = getNamedType(typeInfo.getInputType());
        if (isEnumType(type)) used.add(`${type.name}.${node.value}`);
      },
    }),
  );
  return used;
}

function footprintOf(schema: GraphQLSchema, document: DocumentNode): Footprint {
  const coordinates = usedCoordinates(schema, document);
  const types = new Set<string>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      for (const variable of definition.variableDefinitions ?? []) {
        let type = variable.type;
        while (type.kind !== Kind.NAMED_TYPE) type = type.type;
        types.add(type.name.value);
      }
    }
    if (definition.kind === Kind.FRAGMENT_DEFINITION) types.add(definition.typeCondition.name.value);
  }
  addTypesOf(schema, coordinates, types);
  return { coordinates, types };
}

/**
 * Adds the types nested in the input types already in `types`: a value passed through a variable
 * is not in the document, so an operation that sends a `CreateProductInput` may send any
 * `MoneyInput` or enum inside it, and a change to those reaches it. Each input type is read once.
 */
function addNestedInputTypes(schema: GraphQLSchema, types: Set<string>): void {
  const pending = [...types];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const type = schema.getType(name);
    if (!isInputObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const nested = getNamedType(field.type).name;
      if (types.has(nested)) continue;
      types.add(nested);
      pending.push(nested);
    }
  }
}

/** The types a coordinate involves: its parent, the field's type, the argument's type. */
function addTypesOf(schema: GraphQLSchema, coordinates: Iterable<string>, types: Set<string>): void {
  for (const coordinate of coordinates) {
    const match = /^(\w+)\.(\w+)(?:\((\w+)\))?$/.exec(coordinate);
    if (!match) continue;
    const [, typeName, fieldName, argumentName] = match;
    types.add(typeName!);
    const type = schema.getType(typeName!);
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    const field = type.getFields()[fieldName!];
    if (!field) continue;
    types.add(getNamedType(field.type).name);
    const argument = argumentName ? field.args.find((arg) => arg.name === argumentName) : undefined;
    if (argument) types.add(getNamedType(argument.type).name);
  }
  addNestedInputTypes(schema, types);
}

/**
 * Whether a change at `path` (graphql-inspector's: `Type`, `Type.field`, `Type.field.argument`,
 * `Enum.VALUE`, `Input.field`) reaches what a footprint uses. Argument changes reach every use of
 * the field (a new required argument breaks callers that never passed it).
 */
function reaches(schema: GraphQLSchema, path: string, { coordinates, types }: Footprint): boolean {
  const [typeName, member] = path.split('.');
  if (!typeName) return false;
  if (member === undefined) return types.has(typeName);
  if (coordinates.has(`${typeName}.${member}`)) return true;
  const type = schema.getType(typeName);
  // Enum values and input fields are used through their type (a variable, an argument, a result).
  return (isEnumType(type) || isInputObjectType(type)) && types.has(typeName);
}

export const parsed = (document: string): DocumentNode | undefined => {
  try {
    return parse(document);
  } catch {
    return undefined;
  }
};

const operationsIn = (document: DocumentNode) =>
  document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);

/** One document against both schemas; `errorsAfter` is the proposed schema's validation errors, if any. */
type DocumentAnalysis =
  | { kind: 'unparsable' }
  | { kind: 'invalid before'; errorsAfter?: string }
  | { kind: 'valid before'; footprint: Footprint; errorsAfter?: string };

function analyseDocument(
  before: GraphQLSchema,
  published: GraphQLSchema | undefined,
  proposed: GraphQLSchema,
  text: string,
): DocumentAnalysis {
  const document = parsed(text);
  if (!document || operationsIn(document).length === 0) return { kind: 'unparsable' };
  const errors = validate(proposed, document);
  const errorsAfter = errors.length > 0 ? errors.map((error) => error.message).join(' ') : undefined;
  if (published && validate(published, document).length > 0) return { kind: 'invalid before', errorsAfter };
  return { kind: 'valid before', footprint: footprintOf(before, document), errorsAfter };
}

export async function checkSchema(input: SchemaCheckInput): Promise<SchemaCheckResult> {
  const { published, proposed } = input;
  const before = published ?? proposed;
  const changes: ClassifiedChange[] = (published ? await diff(published, proposed) : []).map((change) => ({
    level: levelOf(change),
    type: change.type,
    message: change.message,
    path: change.path,
    reason: change.criticality.reason,
    affected: [],
  }));
  const breaking = changes.filter((change) => change.level === 'BREAKING' && change.path);
  const broken: Affected[] = [];
  const alreadyInvalid: Affected[] = [];

  // Each distinct document is parsed, validated and walked once, however many entries hold it (a
  // recorded document holds every operation a client sent with it, one entry per operation name).
  const analyses = new Map<string, DocumentAnalysis>();
  const analyse = (text: string): DocumentAnalysis => {
    let analysis = analyses.get(text);
    if (!analysis) {
      analysis = analyseDocument(before, published, proposed, text);
      analyses.set(text, analysis);
    }
    return analysis;
  };

  for (const operation of input.operations) {
    const who = {
      client: operation.client,
      source: operation.source,
      operation: operation.name,
      ...(operation.lastSeen ? { lastSeen: operation.lastSeen } : {}),
    };
    const analysis = analyse(operation.document);
    if (analysis.kind === 'unparsable') {
      alreadyInvalid.push({ ...who, path: '', detail: 'the document does not parse' });
      continue;
    }
    if (analysis.kind === 'invalid before') {
      // Valid only against the proposed schema: written for what this change adds.
      if (!analysis.errorsAfter) continue;
      // Invalid against both: a partner's or a recorded operation was broken before this change; the
      // web client's manifest comes from this very tree, so its operation is broken by it.
      const entry = { ...who, path: '', detail: analysis.errorsAfter };
      (operation.source === 'web manifest' ? broken : alreadyInvalid).push(entry);
      continue;
    }
    const reached = new Set<string>();
    for (const change of breaking) {
      if (!reaches(before, change.path!, analysis.footprint)) continue;
      const affected = { ...who, path: change.path!, detail: change.message };
      change.affected.push(affected);
      broken.push(affected);
      reached.add(change.path!);
    }
    // What no classified change explains still breaks the operation if it no longer validates.
    if (analysis.errorsAfter && reached.size === 0) {
      broken.push({ ...who, path: '', detail: analysis.errorsAfter });
    }
  }

  for (const field of input.recentFields) {
    const footprint: Footprint = { coordinates: new Set([field.coordinate.replace(/\(\w+\)$/, '')]), types: new Set() };
    addTypesOf(before, [field.coordinate], footprint.types);
    for (const change of breaking) {
      if (!reaches(before, change.path!, footprint)) continue;
      const affected = {
        client: field.client,
        source: 'recorded usage (field)',
        operation: field.coordinate,
        path: change.path!,
        detail: change.message,
        lastSeen: field.lastSeen,
      };
      change.affected.push(affected);
      broken.push(affected);
    }
  }
  return { ok: broken.length === 0, changes, broken, alreadyInvalid };
}
