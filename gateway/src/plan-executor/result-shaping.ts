// Result shaping compiled once per operation: the same output as @apollo/gateway's
// computeResponse (resultShaping.ts) for every response it would give without a post-processing
// error, at a fraction of its cost. computeResponse walks @apollo/federation-internals' selection
// objects on every request — directive lookups, type tests through re-exported getters, one
// result object per value — and on the bench's nested query that walk was a fifth of the gateway's
// CPU (docs/performance.md).
//
// The compiled walk only takes the clean path. Whenever computeResponse would do something other
// than copy a valid value — report an error (a null in a non-null position, an invalid leaf or
// __typename), fail an assertion, answer introspection — it stops and the response is shaped by
// computeResponse itself from the same (unmodified) input. So error messages, paths and
// `valueCompletion` extensions stay exactly @apollo/gateway's.
import {
  isCompositeType,
  isCustomScalarType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isSubtype,
  Variable,
  type CompositeType,
  type Operation,
  type OperationElement,
  type OutputType,
  type Schema,
  type SelectionSet,
} from '@apollo/federation-internals';

/** Thrown by the compiled walk where computeResponse would report an error or assert. */
class ShapeByStock extends Error {}
const shapeByStock = new ShapeByStock('shape with computeResponse');

/** `true`/`false`, or the name of the variable holding the `if` argument. */
type Condition = boolean | string;

interface Conditions {
  skip?: Condition;
  include?: Condition;
}

type Step = FieldStep | TypenameStep | FragmentStep;

interface FieldStep extends Conditions {
  kind: 'field';
  responseName: string;
  /** The name exists on Object.prototype: read it as an own property only. */
  guarded: boolean;
  /** Whether the field has a sub-selection (computeResponse keeps a first leaf value, but merges sub-selections). */
  hasSelection: boolean;
  value: ValueShape;
}

interface TypenameStep extends Conditions {
  kind: 'typename';
  responseName: string;
  guarded: boolean;
}

interface FragmentStep extends Conditions {
  kind: 'fragment';
  /** Names of the types the condition applies to (computeResponse's `isSubtype(condition, type)`); undefined: no condition. */
  appliesTo?: ReadonlySet<string>;
  /** The parent type inside the fragment, when it has a condition. */
  typeCondition?: string;
  steps: Step[];
}

type ValueShape =
  | { kind: 'nonNull'; of: ValueShape }
  | { kind: 'list'; of: ValueShape }
  | { kind: 'composite'; typeName: string; steps: Step[] }
  | { kind: 'leaf'; valid: (value: unknown) => boolean };

/** What the walk needs to know about the API schema, computed lazily and kept per schema. */
class SchemaFacts {
  private readonly kinds = new Map<string, 'object' | 'composite' | 'other' | 'missing'>();
  private readonly subtypeSets = new Map<string, ReadonlySet<string>>();
  private readonly leafValidators = new Map<string, (value: unknown) => boolean>();

  constructor(readonly schema: Schema) {}

  kindOf(typeName: string): 'object' | 'composite' | 'other' | 'missing' {
    let kind = this.kinds.get(typeName);
    if (kind === undefined) {
      const type = this.schema.type(typeName);
      if (!type) return 'missing'; // not remembered: names come from subgraph data
      kind = isObjectType(type) ? 'object' : isCompositeType(type) ? 'composite' : 'other';
      this.kinds.set(typeName, kind);
    }
    return kind;
  }

  /** The types `condition` applies to: computeResponse's typeConditionApplies for each possible type. */
  subtypesOf(condition: CompositeType): ReadonlySet<string> {
    let names = this.subtypeSets.get(condition.name);
    if (!names) {
      const set = new Set<string>();
      for (const type of this.schema.types()) {
        if (isSubtype(condition, type)) set.add(type.name);
      }
      names = set;
      this.subtypeSets.set(condition.name, names);
    }
    return names;
  }

  /** @apollo/federation-internals' isValidLeafValue for one scalar or enum type of the API schema. */
  leafValidator(type: OutputType): (value: unknown) => boolean {
    const name = (type as { name: string }).name;
    let valid = this.leafValidators.get(name);
    if (valid) return valid;
    if (isEnumType(type)) {
      const values = new Set(type.values.map((value) => value.name));
      valid = (value) => typeof value === 'string' && values.has(value);
    } else if (isCustomScalarType(type)) {
      valid = () => true;
    } else {
      switch (name) {
        case 'Boolean':
          valid = (value) => typeof value === 'boolean';
          break;
        case 'Int':
          valid = isIntegerNumber;
          break;
        case 'ID':
          valid = (value) => typeof value === 'string' || isIntegerNumber(value);
          break;
        case 'Float':
          valid = (value) => typeof value === 'number' && Number.isFinite(value);
          break;
        case 'String':
          valid = (value) => typeof value === 'string';
          break;
        default:
          valid = () => false;
      }
    }
    this.leafValidators.set(name, valid);
    return valid;
  }
}

const integerString = /^-?(?:0|[1-9][0-9]*)$/;
function isIntegerNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && integerString.test(String(value));
}

const schemaFacts = new WeakMap<Schema, SchemaFacts>();
function factsFor(schema: Schema): SchemaFacts {
  let facts = schemaFacts.get(schema);
  if (!facts) {
    facts = new SchemaFacts(schema);
    schemaFacts.set(schema, facts);
  }
  return facts;
}

/** Raised at compile time: this operation is always shaped by computeResponse. */
class NotCompilable extends Error {}

function conditionOf(directive: { arguments(): { if: boolean | Variable } } | undefined): Condition | undefined {
  if (!directive) return undefined;
  const value = directive.arguments().if;
  if (value instanceof Variable) return value.name;
  if (typeof value === 'boolean') return value;
  throw new NotCompilable('unexpected @skip/@include argument');
}

function conditionsOf(element: OperationElement, schema: Schema): Conditions {
  const skip = conditionOf(element.appliedDirectivesOf(schema.skipDirective())[0]);
  const include = conditionOf(element.appliedDirectivesOf(schema.includeDirective())[0]);
  return { ...(skip !== undefined ? { skip } : {}), ...(include !== undefined ? { include } : {}) };
}

function guardedName(responseName: string): boolean {
  // An output object is a plain object: a `__proto__` response name would set its prototype.
  if (responseName === '__proto__') throw new NotCompilable('__proto__ as a response name');
  return responseName in Object.prototype;
}

function compileSelectionSet(selectionSet: SelectionSet, facts: SchemaFacts, memo: Map<SelectionSet, Step[]>): Step[] {
  const known = memo.get(selectionSet);
  if (known) return known;
  const steps: Step[] = [];
  memo.set(selectionSet, steps);
  for (const selection of selectionSet.selections()) {
    const conditions = conditionsOf(selection.element, facts.schema);
    if (selection.kind === 'FieldSelection') {
      const field = selection.element;
      const responseName = field.responseName();
      if (field.definition.isSchemaIntrospectionField()) throw new NotCompilable('introspection');
      if (field.name === '__typename') {
        steps.push({ kind: 'typename', responseName, guarded: guardedName(responseName), ...conditions });
        continue;
      }
      steps.push({
        kind: 'field',
        responseName,
        guarded: guardedName(responseName),
        hasSelection: selection.selectionSet !== undefined,
        value: compileValue(field.definition.type!, selection.selectionSet, facts, memo),
        ...conditions,
      });
    } else {
      const typeCondition = selection.element.typeCondition;
      steps.push({
        kind: 'fragment',
        ...(typeCondition ? { appliesTo: facts.subtypesOf(typeCondition), typeCondition: typeCondition.name } : {}),
        steps: compileSelectionSet(selection.selectionSet, facts, memo),
        ...conditions,
      });
    }
  }
  return steps;
}

function compileValue(
  type: OutputType,
  selectionSet: SelectionSet | undefined,
  facts: SchemaFacts,
  memo: Map<SelectionSet, Step[]>,
): ValueShape {
  if (isNonNullType(type)) return { kind: 'nonNull', of: compileValue(type.ofType, selectionSet, facts, memo) };
  if (isListType(type)) return { kind: 'list', of: compileValue(type.ofType, selectionSet, facts, memo) };
  if (isCompositeType(type)) {
    if (!selectionSet) throw new NotCompilable(`no selection for ${type.name}`);
    return { kind: 'composite', typeName: type.name, steps: compileSelectionSet(selectionSet, facts, memo) };
  }
  return { kind: 'leaf', valid: facts.leafValidator(type) };
}

type Variables = Record<string, unknown>;

function conditionValue(condition: Condition, variables: Variables): boolean {
  if (typeof condition === 'boolean') return condition;
  const value = variables[condition];
  if (typeof value !== 'boolean') throw shapeByStock;
  return value;
}

function skipped(step: Conditions, variables: Variables): boolean {
  if (step.skip !== undefined && conditionValue(step.skip, variables)) return true;
  return step.include !== undefined && !conditionValue(step.include, variables);
}

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);
type Data = Record<string, unknown>;

class Walk {
  constructor(
    private readonly facts: SchemaFacts,
    private readonly variables: Variables,
  ) {}

  applySteps(steps: Step[], input: Data, output: Data, parentType: string): void {
    for (const step of steps) {
      if ((step.skip !== undefined || step.include !== undefined) && skipped(step, this.variables)) continue;
      if (step.kind === 'fragment') {
        const typename = input.__typename;
        if (typename && typeof typename !== 'string') throw shapeByStock;
        if (step.appliesTo && !step.appliesTo.has((typename as string) || parentType)) continue;
        this.applySteps(step.steps, input, output, step.typeCondition ?? parentType);
        continue;
      }
      const name = step.responseName;
      const outputValue = step.guarded ? (hasOwn(output, name) ? output[name] : undefined) : output[name];
      let inputValue = (step.guarded ? (hasOwn(input, name) ? input[name] : undefined) : input[name]) ?? null;
      if (step.kind === 'typename') {
        if (outputValue !== undefined) continue;
        if (inputValue === null && name !== '__typename') inputValue = input.__typename ?? null;
        const typeName =
          typeof inputValue === 'string' && this.facts.kindOf(inputValue) !== 'missing' ? inputValue : parentType;
        if (this.facts.kindOf(typeName) !== 'object') throw shapeByStock;
        output[name] = typeName;
        continue;
      }
      output[name] = this.value(outputValue, step.value, inputValue, step.hasSelection);
    }
  }

  private value(outputValue: unknown, shape: ValueShape, inputValue: unknown, hasSelection: boolean): unknown {
    if (inputValue === undefined) throw shapeByStock;
    if (outputValue === null || (outputValue !== undefined && !hasSelection)) return outputValue;
    switch (shape.kind) {
      case 'nonNull': {
        const value = this.value(outputValue, shape.of, inputValue, hasSelection);
        if (value === null) throw shapeByStock;
        return value;
      }
      case 'list': {
        if (inputValue === null) return null;
        if (!Array.isArray(inputValue)) throw shapeByStock;
        if (outputValue !== undefined && (!Array.isArray(outputValue) || outputValue.length !== inputValue.length)) {
          throw shapeByStock;
        }
        const list = new Array<unknown>(inputValue.length);
        for (let index = 0; index < inputValue.length; index++) {
          list[index] = this.value(
            outputValue === undefined ? undefined : (outputValue as unknown[])[index],
            shape.of,
            inputValue[index],
            hasSelection,
          );
        }
        return list;
      }
      case 'composite': {
        if (inputValue === null) return null;
        if (typeof inputValue !== 'object' || Array.isArray(inputValue)) throw shapeByStock;
        if (outputValue !== undefined && typeof outputValue !== 'object') throw shapeByStock;
        const typename = (inputValue as Data).__typename;
        let objectType = shape.typeName;
        if (typename !== undefined) {
          if (typeof typename !== 'string') throw shapeByStock;
          if (typename) {
            const kind = this.facts.kindOf(typename);
            if (kind !== 'object' && kind !== 'composite') throw shapeByStock;
            objectType = typename;
          }
        }
        const output = (outputValue as Data | undefined) ?? {};
        this.applySteps(shape.steps, inputValue as Data, output, objectType);
        return output;
      }
      case 'leaf':
        if (inputValue === null) return null;
        if (!shape.valid(inputValue)) throw shapeByStock;
        return inputValue;
    }
  }
}

export interface CompiledShaping {
  /**
   * The shaped data, or `undefined` when computeResponse must shape this response (it would report
   * an error, or the operation is one the compiled walk does not handle).
   */
  shape(input: Data, variables: Variables | undefined): Data | undefined;
}

/** Compiles the shaping of `operation` (an operation of the API schema, as computeResponse gets it). */
export function compileShaping(operation: Operation): CompiledShaping {
  const schema = operation.schema();
  const facts = factsFor(schema);
  let steps: Step[];
  try {
    steps = compileSelectionSet(operation.selectionSet, facts, new Map());
  } catch (error) {
    if (error instanceof NotCompilable) return { shape: () => undefined };
    throw error;
  }
  const rootType = schema.schemaDefinition.rootType(operation.rootKind)!.name;
  const defaults = operation.collectDefaultedVariableValues();
  const hasDefaults = Object.keys(defaults).length > 0;
  return {
    shape(input, variables) {
      const walk = new Walk(facts, hasDefaults ? { ...defaults, ...variables } : (variables ?? {}));
      const data: Data = {};
      try {
        walk.applySteps(steps, input, data, rootType);
      } catch (error) {
        if (error === shapeByStock) return undefined;
        throw error;
      }
      return data;
    },
  };
}
