import {
  Kind,
  parse,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
} from 'graphql';

/**
 * The directives the gateway enforces, read from the composed supergraph's SDL: composition keeps
 * `@authenticated`, `@requiresScopes`, `@cost` and `@listSize` there (their specs are linked with
 * `for: SECURITY` or imported from Federation 2.9), while the API schema the gateway serves drops them.
 */
export interface DirectiveUse {
  name: string;
  args: Record<string, unknown>;
}

export interface SupergraphDirectives {
  /** Directives on a type (object, interface, scalar, enum), by type name. */
  types: Map<string, DirectiveUse[]>;
  /** Directives on a field definition, by `Type.field`. */
  fields: Map<string, DirectiveUse[]>;
}

const uses = (directives: readonly ConstDirectiveNode[] | undefined): DirectiveUse[] =>
  (directives ?? []).map((directive) => ({
    name: directive.name.value,
    args: Object.fromEntries(
      (directive.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value)]),
    ),
  }));

export function readSupergraphDirectives(supergraphSdl: string | DocumentNode): SupergraphDirectives {
  const document = typeof supergraphSdl === 'string' ? parse(supergraphSdl) : supergraphSdl;
  const types = new Map<string, DirectiveUse[]>();
  const fields = new Map<string, DirectiveUse[]>();
  const addFields = (typeName: string, definitions: readonly FieldDefinitionNode[] | undefined) => {
    for (const field of definitions ?? []) {
      const list = uses(field.directives);
      if (list.length > 0)
        fields.set(`${typeName}.${field.name.value}`, [
          ...(fields.get(`${typeName}.${field.name.value}`) ?? []),
          ...list,
        ]);
    }
  };
  for (const definition of document.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        types.set(definition.name.value, [
          ...(types.get(definition.name.value) ?? []),
          ...uses(definition.directives),
        ]);
        addFields(definition.name.value, definition.fields);
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.UNION_TYPE_DEFINITION:
        types.set(definition.name.value, uses(definition.directives));
        break;
      default:
        break;
    }
  }
  return { types, fields };
}

export const findDirective = (list: DirectiveUse[] | undefined, name: string) =>
  list?.find((directive) => directive.name === name);
