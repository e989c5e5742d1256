import {
  Kind,
  getNamedType,
  isCompositeType,
  isNonNullType,
  visit,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Identity } from '@cloudmart/runtime';
import { findDirective, type DirectiveUse, type SupergraphDirectives } from './directives';
import { fragmentsOf } from './limits';

/**
 * `@authenticated` and `@requiresScopes` enforced from the supergraph before planning, as Apollo
 * Router's authorization plugin does: a field the caller may not see is removed from the operation
 * (with any parent left with nothing selected), the response carries one UNAUTHORIZED_FIELD_OR_TYPE
 * error for each, and the rest of the operation runs. Subgraphs check identity again themselves.
 *
 * Scopes come from the verified token's role: every signed-in caller has `customer`, an ADMIN also
 * has `admin` (see docs/security.md).
 */
export function scopesOf(identity: Identity | null): Set<string> {
  if (!identity) return new Set();
  return new Set(identity.role === 'ADMIN' ? ['customer', 'admin'] : ['customer']);
}

interface Requirement {
  authenticated: boolean;
  /** Any one of these sets, all of its scopes. */
  scopes: string[][];
}

const requirementOf = (list: DirectiveUse[] | undefined): Requirement | undefined => {
  const authenticated = findDirective(list, 'authenticated') !== undefined;
  const scopes = (findDirective(list, 'requiresScopes')?.args.scopes as string[][] | undefined) ?? [];
  return authenticated || scopes.length > 0 ? { authenticated, scopes } : undefined;
};

/** A removed field: its response path, and whether each field along that path is nullable. */
export interface RemovedField {
  path: string[];
  nullable: boolean[];
}

export interface AuthorizedOperation {
  /** The document to execute: the original one when nothing was removed. */
  document: DocumentNode;
  /** One error per removed field, with its response path. */
  errors: GraphQLFormattedError[];
  removed: RemovedField[];
  /** True when every field of the operation was removed: nothing is left to run. */
  empty: boolean;
}

export class AuthorizationPolicy {
  private readonly fieldRules = new Map<string, Requirement>();
  private readonly typeRules = new Map<string, Requirement>();

  constructor(directives: SupergraphDirectives) {
    for (const [key, list] of directives.fields) {
      const requirement = requirementOf(list);
      if (requirement) this.fieldRules.set(key, requirement);
    }
    for (const [key, list] of directives.types) {
      const requirement = requirementOf(list);
      if (requirement) this.typeRules.set(key, requirement);
    }
  }

  /** True when the supergraph declares any authorization directive. */
  get active(): boolean {
    return this.fieldRules.size + this.typeRules.size > 0;
  }

  private allowed(
    requirement: Requirement | undefined,
    identity: Identity | null,
    scopes: Set<string>,
  ): boolean {
    if (!requirement) return true;
    if ((requirement.authenticated || requirement.scopes.length > 0) && !identity) return false;
    return (
      requirement.scopes.length === 0 ||
      requirement.scopes.some((all) => all.every((scope) => scopes.has(scope)))
    );
  }

  /** Removes what `identity` may not see from the operation named `operationName` of `document`. */
  authorize(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    identity: Identity | null,
  ): AuthorizedOperation {
    if (!this.active) return { document, errors: [], removed: [], empty: false };
    const scopes = scopesOf(identity);
    const fragments = fragmentsOf(document);
    const errors: GraphQLFormattedError[] = [];
    const removed: RemovedField[] = [];
    let changed = false;

    // Rebuilds a selection set without the fields the caller may not see, fragment spreads inlined
    // (a fragment may be allowed in one place and not another). Null when nothing is left.
    const filter = (
      set: SelectionSetNode,
      parent: GraphQLCompositeType,
      path: string[],
      nullable: boolean[],
    ): SelectionSetNode | null => {
      const selections: SelectionNode[] = [];
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const fieldName = selection.name.value;
          const field = 'getFields' in parent ? parent.getFields()[fieldName] : undefined;
          if (!field) {
            selections.push(selection); // __typename and other meta fields
            continue;
          }
          const named = getNamedType(field.type);
          const key = selection.alias?.value ?? fieldName;
          const allowed =
            this.allowed(this.fieldRules.get(`${parent.name}.${fieldName}`), identity, scopes) &&
            this.allowed(this.typeRules.get(named.name), identity, scopes);
          if (!allowed) {
            changed = true;
            errors.push({
              message: 'Unauthorized field or type',
              path: [...path, key],
              extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
            });
            removed.push({ path: [...path, key], nullable: [...nullable, !isNonNullType(field.type)] });
            continue;
          }
          if (!selection.selectionSet || !isCompositeType(named)) {
            selections.push(selection);
            continue;
          }
          const inner = filter(
            selection.selectionSet,
            named,
            [...path, key],
            [...nullable, !isNonNullType(field.type)],
          );
          if (inner) selections.push({ ...selection, selectionSet: inner });
          else changed = true;
        } else {
          const fragment =
            selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
          if (!fragment) continue;
          const typeName = fragment.typeCondition?.name.value;
          const type = typeName ? schema.getType(typeName) : parent;
          if (!type || !isCompositeType(type)) continue;
          const inner = filter(fragment.selectionSet, type, path, nullable);
          if (!inner) {
            changed = true;
            continue;
          }
          if (selection.kind === Kind.FRAGMENT_SPREAD) changed = true;
          selections.push({
            kind: Kind.INLINE_FRAGMENT,
            typeCondition: fragment.typeCondition,
            directives: selection.directives,
            selectionSet: inner,
          });
        }
      }
      return selections.length > 0 ? { kind: Kind.SELECTION_SET, selections } : null;
    };

    const root = schema.getRootType(operation.operation);
    if (!root) return { document, errors: [], removed: [], empty: false };
    const selectionSet = filter(operation.selectionSet, root, [], []);
    if (errors.length === 0 && !changed) return { document, errors, removed, empty: false };
    if (errors.length === 0) return { document, errors, removed, empty: false }; // only fragments inlined: keep the original
    if (!selectionSet) return { document, errors, removed, empty: true };

    // Variables only the removed fields used would now be undefined-but-declared: drop them.
    const filtered: OperationDefinitionNode = { ...operation, selectionSet };
    const used = new Set<string>();
    visit(filtered, {
      VariableDefinition: () => false,
      Variable: (node) => {
        used.add(node.name.value);
      },
    });
    const variableDefinitions = (operation.variableDefinitions ?? []).filter((definition) =>
      used.has(definition.variable.name.value),
    );
    return {
      document: { kind: Kind.DOCUMENT, definitions: [{ ...filtered, variableDefinitions }] },
      errors,
      removed,
      empty: false,
    };
  }
}

/**
 * Puts null where each removed field would have been, as Apollo Router shapes its responses after
 * the query the client sent: a removed nullable field reads null; a removed non-null field makes
 * its nearest nullable parent null (the whole data when there is none).
 */
export function nullRemovedFields(data: Record<string, unknown> | null | undefined, removed: RemovedField[]) {
  if (!data) return data ?? null; // execution already nulled everything
  let result: Record<string, unknown> | null = data;
  // Returns true when the null must propagate to the caller's level.
  const apply = (value: unknown, field: RemovedField, index: number): boolean => {
    if (Array.isArray(value)) return value.some((item) => apply(item, field, index));
    if (!value || typeof value !== 'object') return false;
    const object = value as Record<string, unknown>;
    const key = field.path[index]!;
    const last = index === field.path.length - 1;
    if (!last) {
      if (!apply(object[key], field, index + 1)) return false;
    }
    if (field.nullable[index]) {
      object[key] = null;
      return false;
    }
    return true;
  };
  for (const field of removed) {
    if (result && apply(result, field, 0)) result = null;
  }
  return result;
}
