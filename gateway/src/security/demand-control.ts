import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  valueFromASTUntyped,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { findDirective, type SupergraphDirectives } from './directives';
import {
  addCounts,
  fragmentMemo,
  multiplyCounts,
  showCount,
  unlimitedWork,
  type Fragments,
  type Work,
} from './document-walk';

/**
 * Static cost analysis after the IBM GraphQL cost specification, as Apollo Router's demand control
 * estimates it: every object costs 1 and every scalar or enum 0 unless `@cost(weight:)` says
 * otherwise, a mutation's root field costs 10, and a list multiplies what is below it by its size:
 * the value of a `@listSize(slicingArguments:)` argument (or that argument's default),
 * `@listSize(assumedSize:)`, or the configured default. `sizedFields` apply the size to the named
 * child fields (connections: `products(first: 50) { edges … }`). Fragments on different types are
 * added up, an over-estimate that errs on the safe side.
 */
export interface DemandControlOptions {
  maxCost: number;
  defaultListSize: number;
}

interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

const MUTATION_FIELD_COST = 10;

/**
 * The cost of a selection set whose direct list fields named in the enclosing field's
 * `@listSize(sizedFields:)` count `size` times each: `fixed + perSize × size`. Kept as this
 * linear form so a fragment's cost is computed once per set of sized field names, whatever the
 * size at each place it is spread.
 */
interface Cost {
  fixed: number;
  perSize: number;
}

const ZERO: Cost = { fixed: 0, perSize: 0 };
const costAt = (cost: Cost, size: number) => addCounts(cost.fixed, multiplyCounts(cost.perSize, size));

/** The field names a list's size applies to, with a key that identifies the set. */
interface SizedFields {
  key: string;
  names: Set<string>;
}

export class CostEstimator {
  private readonly sizedFields = new Map<string, SizedFields>();

  constructor(
    private readonly directives: SupergraphDirectives,
    private readonly options: DemandControlOptions,
  ) {}

  private sizedFieldsOf(names: string[] | undefined): SizedFields | undefined {
    if (!names?.length) return undefined;
    const key = names.join(',');
    let sized = this.sizedFields.get(key);
    if (!sized) {
      sized = { key, names: new Set(names) };
      this.sizedFields.set(key, sized);
    }
    return sized;
  }

  /**
   * The operation's estimated cost. Linear in the document's size (each fragment is costed once
   * per sizing context it is spread in, and the results combined as numbers); `work` counts the steps.
   */
  estimate(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Fragments,
    variables: Record<string, unknown> = {},
    work: Work = unlimitedWork(),
  ): number {
    const root = schema.getRootType(operation.operation);
    if (!root) return 0;
    const weightOf = (typeName: string, fieldName?: string): number | undefined => {
      const list = fieldName
        ? this.directives.fields.get(`${typeName}.${fieldName}`)
        : this.directives.types.get(typeName);
      const weight = findDirective(list, 'cost')?.args.weight;
      return weight === undefined ? undefined : Number(weight);
    };
    const argumentValue = (node: FieldNode, field: GraphQLField<unknown, unknown>, name: string): unknown => {
      const argument = node.arguments?.find((arg) => arg.name.value === name);
      if (argument) return valueFromASTUntyped(argument.value, variables);
      return field.args.find((arg) => arg.name === name)?.defaultValue;
    };
    const listSizeOf = (
      node: FieldNode,
      field: GraphQLField<unknown, unknown>,
      listSize: ListSize | undefined,
    ) => {
      const sliced = (listSize?.slicingArguments ?? [])
        .map((name) => argumentValue(node, field, name))
        .filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
      if (sliced.length > 0) return Math.max(0, ...sliced);
      return listSize?.assumedSize ?? this.options.defaultListSize;
    };

    const fragmentCost = fragmentMemo(fragments, ZERO, (fragment, key) => {
      const type = schema.getType(fragment.typeCondition.name.value);
      return type && isCompositeType(type)
        ? costOfSet(fragment.selectionSet, type, key ? this.sizedFields.get(key) : undefined)
        : ZERO;
    });
    const costOfSet = (set: SelectionSetNode, parent: GraphQLCompositeType, sized?: SizedFields): Cost => {
      let fixed = 0;
      let perSize = 0;
      for (const selection of set.selections) {
        work.step();
        let cost: Cost;
        if (selection.kind === Kind.FIELD) {
          cost = costOfField(selection, parent, sized);
        } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
          cost = fragmentCost(selection.name.value, sized?.key);
        } else {
          const typeName = selection.typeCondition?.name.value;
          const type = typeName ? schema.getType(typeName) : parent;
          cost = type && isCompositeType(type) ? costOfSet(selection.selectionSet, type, sized) : ZERO;
        }
        fixed = addCounts(fixed, cost.fixed);
        perSize = addCounts(perSize, cost.perSize);
      }
      return { fixed, perSize };
    };
    const costOfField = (node: FieldNode, parent: GraphQLCompositeType, sized?: SizedFields): Cost => {
      if (!('getFields' in parent)) return ZERO; // __typename on a union
      const field = parent.getFields()[node.name.value];
      if (!field) return ZERO;
      const named = getNamedType(field.type);
      const own =
        weightOf(parent.name, field.name) ??
        (parent === root && operation.operation === 'mutation'
          ? MUTATION_FIELD_COST
          : isCompositeType(named)
            ? (weightOf(named.name) ?? 1)
            : (weightOf(named.name) ?? 0));
      const listSize = findDirective(this.directives.fields.get(`${parent.name}.${field.name}`), 'listSize')
        ?.args as ListSize | undefined;
      const size = listSizeOf(node, field, listSize);
      const childSized = this.sizedFieldsOf(listSize?.sizedFields);
      const children =
        node.selectionSet && isCompositeType(named)
          ? costAt(costOfSet(node.selectionSet, named, childSized), childSized ? size : 0)
          : 0;
      const unit = addCounts(own, children);
      if (isListType(getNullableType(field.type))) {
        if (sized?.names.has(field.name)) return { fixed: 0, perSize: unit };
        return { fixed: multiplyCounts(childSized ? 1 : size, unit), perSize: 0 };
      }
      return { fixed: unit, perSize: 0 };
    };
    return costOfSet(operation.selectionSet, root).fixed;
  }

  /** The error Apollo Router's demand control gives for an operation over the ceiling, or undefined. */
  check(cost: number): GraphQLError | undefined {
    if (cost <= this.options.maxCost) return undefined;
    return new GraphQLError(
      `The estimated cost of this operation (${showCount(cost)}) exceeds the maximum of ${this.options.maxCost}.`,
      {
        extensions: {
          code: 'COST_ESTIMATED_TOO_EXPENSIVE',
          cost: { estimated: cost, max: this.options.maxCost },
          http: { status: 400 },
        },
      },
    );
  }
}
