import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { findDirective, type SupergraphDirectives } from './directives';

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

export class CostEstimator {
  constructor(
    private readonly directives: SupergraphDirectives,
    private readonly options: DemandControlOptions,
  ) {}

  estimate(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Record<string, FragmentDefinitionNode>,
    variables: Record<string, unknown> = {},
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
        .filter((value): value is number => typeof value === 'number');
      if (sliced.length > 0) return Math.max(...sliced);
      return listSize?.assumedSize ?? this.options.defaultListSize;
    };

    const costOfSet = (
      set: SelectionSetNode,
      parent: GraphQLCompositeType,
      sized?: { fields: Set<string>; size: number },
    ): number => {
      let total = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          total += costOfField(selection, parent, sized);
        } else {
          const fragment =
            selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
          if (!fragment) continue;
          const typeName = fragment.typeCondition?.name.value;
          const type = typeName ? schema.getType(typeName) : parent;
          if (type && isCompositeType(type)) total += costOfSet(fragment.selectionSet, type, sized);
        }
      }
      return total;
    };
    const costOfField = (
      node: FieldNode,
      parent: GraphQLCompositeType,
      sized?: { fields: Set<string>; size: number },
    ): number => {
      if (!('getFields' in parent)) return 0; // __typename on a union
      const field = parent.getFields()[node.name.value];
      if (!field) return 0;
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
      const childSized = listSize?.sizedFields?.length
        ? { fields: new Set(listSize.sizedFields), size }
        : undefined;
      const children =
        node.selectionSet && isCompositeType(named) ? costOfSet(node.selectionSet, named, childSized) : 0;
      if (isListType(getNullableType(field.type))) {
        const count = sized?.fields.has(field.name) ? sized.size : childSized ? 1 : size;
        return count * (own + children);
      }
      return own + children;
    };
    return costOfSet(operation.selectionSet, root);
  }

  /** The error Apollo Router's demand control gives for an operation over the ceiling, or undefined. */
  check(cost: number): GraphQLError | undefined {
    if (cost <= this.options.maxCost) return undefined;
    return new GraphQLError(
      `The estimated cost of this operation (${cost}) exceeds the maximum of ${this.options.maxCost}.`,
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
