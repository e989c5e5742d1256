import {
  getNamedType,
  isInputObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * The schema coordinates one operation uses, as schema checks name them: output fields as
 * "Type.field", arguments as "Type.field(arg)", input object fields written in the document as
 * "Input.field". Computed once per distinct document by one walk with graphql's TypeInfo (linear
 * in the document); introspection fields (`__typename`, `__schema`, …) and directive arguments are
 * not schema the subgraphs own, so they are left out. Values passed through variables are not in
 * the document: their input object fields are not seen.
 */
export function fieldsOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  /** The operation that runs; without it, every operation of the document (each fragment once). */
  operation?: OperationDefinitionNode,
): string[] {
  // The operation that runs and every fragment (validation refuses unused fragments, so fragments
  // belong to some operation of the document; another operation's fragments are rare and harmless).
  const selected: DocumentNode = operation
    ? {
        kind: Kind.DOCUMENT,
        definitions: document.definitions.filter(
          (definition) => definition === operation || definition.kind === Kind.FRAGMENT_DEFINITION,
        ),
      }
    : document;
  const used = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    selected,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value.startsWith('__')) return;
        used.add(`${parent.name}.${node.name.value}`);
      },
      Argument(node) {
        if (typeInfo.getDirective()) return;
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field || field.name.startsWith('__')) return;
        used.add(`${parent.name}.${field.name}(${node.name.value})`);
      },
      ObjectField(node) {
        if (typeInfo.getDirective()) return;
        const input = getNamedType(typeInfo.getParentInputType());
        if (isInputObjectType(input)) used.add(`${input.name}.${node.name.value}`);
      },
    }),
  );
  return [...used];
}
