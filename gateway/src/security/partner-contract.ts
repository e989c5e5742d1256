import {
  GraphQLError,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLUnionType,
  Kind,
  TypeInfo,
  getNamedType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  parse,
  validate,
  visit,
  visitWithTypeInfo,
  type ConstDirectiveNode,
  type DocumentNode,
  type GraphQLFieldConfigMap,
  type GraphQLNamedType,
  type GraphQLOutputType,
} from 'graphql';
import { apiSchemaOf, printSortedSchema } from '../api-schema';
import { Lru } from '../lru';

/**
 * The partner contract (Apollo contracts' model): the part of the API schema that partner API keys
 * may reach, chosen by `@tag(name: "partner")` in the subgraph schemas. One module builds it for
 * the three places that use it: `npm run schema:contract -- partner` prints it for partners,
 * `npm run partner:register` refuses a manifest operation outside it, and the gateway refuses a
 * partner request outside it (a manifest can be edited on disk after registration).
 *
 * What is in it (docs/schema-governance.md):
 * - a field of an object or interface type when the field, or its type, carries the tag;
 * - every type such a field reaches, with only its tagged fields; input types, enums and scalars
 *   reached through kept fields and arguments come whole (they describe what a partner may send);
 * - `__typename` everywhere; no other introspection field (the full schema is not the partner's).
 */
export const PARTNER_TAG = 'partner';

/** The code of a partner request refused because its operation reaches outside the contract. */
export const OUTSIDE_CONTRACT_CODE = 'OUTSIDE_PARTNER_CONTRACT';

/** One place an operation leaves the contract. */
export interface ContractViolation {
  /** The field's schema coordinate (`Product.sentiment`) or the type of a fragment's condition. */
  coordinate: string;
  /**
   * Where in the document: response keys from the operation's root (`products.edges.node.sentiment`),
   * or from a fragment (`...ProductCard.sentiment`), which is checked once however often it is spread.
   */
  path: string;
}

export const describeViolation = ({ coordinate, path }: ContractViolation) =>
  `${path} (${coordinate}) is not in the partner contract`;

const hasTag = (directives: readonly ConstDirectiveNode[] | undefined, tag: string) =>
  directives?.some(
    (directive) =>
      directive.name.value === 'tag' &&
      directive.arguments?.some(
        (argument) =>
          argument.name.value === 'name' && argument.value.kind === Kind.STRING && argument.value.value === tag,
      ),
  ) ?? false;

/** Schema coordinates carrying `@tag(name: tag)` in a supergraph: `Type` and `Type.field`. */
export function taggedCoordinates(supergraphSdl: string, tag: string): Set<string> {
  const tagged = new Set<string>();
  for (const definition of parse(supergraphSdl, { noLocation: true }).definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION &&
      definition.kind !== Kind.UNION_TYPE_DEFINITION
    ) {
      continue;
    }
    const typeName = definition.name.value;
    if (hasTag(definition.directives, tag)) tagged.add(typeName);
    if (definition.kind === Kind.UNION_TYPE_DEFINITION) continue;
    for (const field of definition.fields ?? []) {
      if (hasTag(field.directives, tag)) tagged.add(`${typeName}.${field.name.value}`);
    }
  }
  return tagged;
}

/** A contract: its schema, the API schema it is cut from, and any tagging mistakes found. */
export class PartnerContract {
  /**
   * Tagged fields left out because they lead to a type with no tagged field (a type cannot be
   * empty). `npm run schema:check` fails on these; the gateway leaves the fields out.
   */
  readonly problems: string[] = [];
  readonly schema: GraphQLSchema;

  constructor(
    readonly apiSchema: GraphQLSchema,
    private readonly tagged: Set<string>,
  ) {
    this.schema = this.cut();
  }

  static fromSupergraph(supergraphSdl: string, tag = PARTNER_TAG): PartnerContract {
    return new PartnerContract(apiSchemaOf(supergraphSdl), taggedCoordinates(supergraphSdl, tag));
  }

  /** The contract's SDL, sorted: what partners are given. */
  printSdl(): string {
    return printSortedSchema(this.schema);
  }

  private keptFieldNames(type: GraphQLObjectType | GraphQLInterfaceType): string[] {
    const typeTagged = this.tagged.has(type.name);
    return Object.keys(type.getFields()).filter(
      (name) => typeTagged || this.tagged.has(`${type.name}.${name}`),
    );
  }

  /** Whether a type can appear in the contract (a composite type needs a kept field or member). */
  private admits(type: GraphQLNamedType): boolean {
    if (isObjectType(type) || isInterfaceType(type)) return this.keptFieldNames(type).length > 0;
    if (isUnionType(type)) return type.getTypes().some((member) => this.admits(member));
    return true;
  }

  private cut(): GraphQLSchema {
    const api = this.apiSchema;
    const built = new Map<string, GraphQLNamedType>();

    const named = (type: GraphQLNamedType): GraphQLNamedType => {
      // Scalars, enums and input types hold no output fields: reused as they are.
      if (!isObjectType(type) && !isInterfaceType(type) && !isUnionType(type)) return type;
      const known = built.get(type.name);
      if (known) return known;
      let copy: GraphQLNamedType;
      if (isUnionType(type)) {
        copy = new GraphQLUnionType({
          ...type.toConfig(),
          types: () =>
            type
              .getTypes()
              .filter((member) => this.admits(member))
              .map((member) => named(member) as GraphQLObjectType),
        });
      } else {
        // Objects and interfaces alike: the kept fields, and the interfaces still in the contract.
        const kept = {
          fields: () => fieldsOf(type),
          interfaces: () =>
            type
              .getInterfaces()
              .filter((face) => this.admits(face))
              .map((face) => named(face) as GraphQLInterfaceType),
        };
        copy = isObjectType(type)
          ? new GraphQLObjectType({ ...type.toConfig(), ...kept })
          : new GraphQLInterfaceType({ ...type.toConfig(), ...kept });
      }
      built.set(type.name, copy);
      return copy;
    };

    const output = (type: GraphQLOutputType): GraphQLOutputType => {
      if (isNonNullType(type)) return new GraphQLNonNull(output(type.ofType));
      if (isListType(type)) return new GraphQLList(output(type.ofType));
      return named(type) as GraphQLOutputType;
    };

    const fieldsOf = (type: GraphQLObjectType | GraphQLInterfaceType) => {
      const config = type.toConfig().fields;
      const fields: GraphQLFieldConfigMap<unknown, unknown> = {};
      for (const name of this.keptFieldNames(type)) {
        const field = config[name]!;
        const target = getNamedType(field.type);
        if (!this.admits(target)) {
          this.problems.push(
            `${type.name}.${name} is tagged "${PARTNER_TAG}" but its type ${target.name} has no tagged field: left out`,
          );
          continue;
        }
        fields[name] = { ...field, type: output(field.type) };
      }
      return fields;
    };

    const root = (type: GraphQLObjectType | null | undefined) => {
      if (!type || !this.admits(type)) return undefined;
      const copy = named(type) as GraphQLObjectType;
      // Composition keeps one subgraph's description of a root type, written about that subgraph's
      // fields (insights: "every field is for admins only"): not true of the contract's.
      copy.description = undefined;
      return copy;
    };
    const schema = new GraphQLSchema({
      query: root(api.getQueryType()),
      mutation: root(api.getMutationType()),
      subscription: root(api.getSubscriptionType()),
      directives: api.getDirectives(),
      description: api.description,
    });
    schema.getTypeMap(); // builds every field now, so `problems` is complete
    return schema;
  }

  /**
   * Where a document leaves the contract: fields outside it (named by the first such field on each
   * path; what lies under it is not reported again) and fragments on types outside it. One visit of
   * the document: each fragment definition is walked once, not at each spread, so the cost is
   * linear in the document's size. Fields the API schema does not know are left to validation.
   */
  violations(document: DocumentNode): ContractViolation[] {
    const found: ContractViolation[] = [];
    const typeInfo = new TypeInfo(this.apiSchema);
    const path: string[] = [];
    const here = (key: string) => [...path, key].join('.');
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        OperationDefinition: {
          enter: () => {
            path.length = 0;
          },
        },
        FragmentDefinition: {
          enter: (node) => {
            path.length = 0;
            path.push(`...${node.name.value}`);
            if (!this.schema.getType(node.typeCondition.name.value)) {
              found.push({ coordinate: node.typeCondition.name.value, path: path.join('.') });
              return false;
            }
            return undefined;
          },
        },
        InlineFragment: {
          enter: (node) => {
            const condition = node.typeCondition?.name.value;
            if (condition && !this.schema.getType(condition)) {
              found.push({ coordinate: condition, path: here(`... on ${condition}`) });
              return false;
            }
            return undefined;
          },
        },
        Field: {
          enter: (node) => {
            const key = node.alias?.value ?? node.name.value;
            const parent = typeInfo.getParentType();
            const name = node.name.value;
            if (name === '__typename' || !parent || !typeInfo.getFieldDef()) return false;
            const inContract = this.schema.getType(parent.name);
            const kept =
              !name.startsWith('__') &&
              (isObjectType(inContract) || isInterfaceType(inContract)) &&
              name in inContract.getFields();
            if (!kept) {
              found.push({ coordinate: `${parent.name}.${name}`, path: here(key) });
              return false;
            }
            path.push(key);
            return undefined;
          },
          leave: () => {
            path.pop();
          },
        },
      }),
    );
    return found;
  }

  /**
   * Every problem of one operation text against the contract, as readable lines: fields outside
   * it with their paths, then anything else graphql-js validation finds against the contract.
   */
  check(body: string): string[] {
    let document: DocumentNode;
    try {
      document = parse(body);
    } catch (error) {
      return [error instanceof GraphQLError ? error.message : String(error)];
    }
    const outside = this.violations(document);
    if (outside.length > 0) return outside.map(describeViolation);
    return validate(this.schema, document).map((error) => error.message);
  }
}

/**
 * The gateway's enforcement for partner keys: a manifest operation is checked against the contract
 * once per operation id (the manifest's ids are the SHA-256 of their bodies, checked when it loads,
 * so an id names one text) and the outcome remembered.
 */
export class PartnerContractGuard {
  private readonly outcomes: Lru<string, { refusal: GraphQLError | null }>;

  constructor(
    private readonly contract: PartnerContract,
    cacheSize: number,
  ) {
    // Partner manifests are short lists: remember them even where per-request caches are off.
    this.outcomes = new Lru(Math.max(cacheSize, 1_000));
  }

  /** The refusal for a partner's manifest operation, or null when it stays inside the contract. */
  refusalFor(id: string, body: string): GraphQLError | null {
    return this.outcomes.memo(id, () => {
      let document: DocumentNode;
      try {
        document = parse(body, { noLocation: true });
      } catch {
        return { refusal: null }; // Apollo Server answers GRAPHQL_PARSE_FAILED itself.
      }
      const outside = this.contract.violations(document);
      if (outside.length === 0) return { refusal: null };
      return {
        refusal: new GraphQLError(
          `This operation reaches outside the partner contract: ${outside.map(describeViolation).join('; ')}.`,
          { extensions: { code: OUTSIDE_CONTRACT_CODE, http: { status: 403 } } },
        ),
      };
    }).refusal;
  }
}
