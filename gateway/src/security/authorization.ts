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
  type FragmentDefinitionNode,
  type NamedTypeNode,
} from 'graphql';
import type { Identity } from '@cloudmart/runtime';
import { findDirective, type DirectiveUse, type SupergraphDirectives } from './directives';
import { fragmentMemo, fragmentsOf, unlimitedWork, type Work } from './document-walk';

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

  /**
   * Removes what `identity` may not see from `operation` of `document`. Linear in the document's
   * size: whether a field is allowed depends on its parent type and its own, never on where a
   * fragment is spread, so each fragment definition is filtered once and its spreads are kept.
   * Only the removed fields' response paths are enumerated through the spreads, each fragment once
   * per path; `work` counts the steps of both passes.
   */
  authorize(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    identity: Identity | null,
    work: Work = unlimitedWork(),
  ): AuthorizedOperation {
    const unchanged = { document, errors: [], removed: [], empty: false };
    if (!this.active) return unchanged;
    const root = schema.getRootType(operation.operation);
    if (!root) return unchanged;
    const scopes = scopesOf(identity);
    const fragments = fragmentsOf(document);
    const fieldAllowed = (parent: GraphQLCompositeType, fieldName: string) => {
      const field = 'getFields' in parent ? parent.getFields()[fieldName] : undefined;
      if (!field) return { field, allowed: true }; // __typename and other meta fields
      const allowed =
        this.allowed(this.fieldRules.get(`${parent.name}.${fieldName}`), identity, scopes) &&
        this.allowed(this.typeRules.get(getNamedType(field.type).name), identity, scopes);
      return { field, allowed };
    };
    const typeOf = (condition: NamedTypeNode | undefined, parent: GraphQLCompositeType) => {
      const type = condition ? schema.getType(condition.name.value) : parent;
      return type && isCompositeType(type) ? type : undefined;
    };

    // Pass 1: each selection set rebuilt without what the caller may not see (null: nothing left).
    // Sets that lost something are remembered for pass 2.
    const changedSets = new Set<SelectionSetNode>();
    const filteredFragment = fragmentMemo<{ selectionSet: SelectionSetNode | null } | null>(
      fragments,
      null,
      (fragment) => {
        const type = typeOf(fragment.typeCondition, root);
        return { selectionSet: type ? filter(fragment.selectionSet, type) : fragment.selectionSet };
      },
    );
    const filter = (set: SelectionSetNode, parent: GraphQLCompositeType): SelectionSetNode | null => {
      const selections: SelectionNode[] = [];
      let changed = false;
      for (const selection of set.selections) {
        work.step();
        if (selection.kind === Kind.FIELD) {
          const { field, allowed } = fieldAllowed(parent, selection.name.value);
          if (!allowed) {
            changed = true;
            continue;
          }
          const named = field && getNamedType(field.type);
          if (!selection.selectionSet || !named || !isCompositeType(named)) {
            selections.push(selection);
            continue;
          }
          const inner = filter(selection.selectionSet, named);
          if (inner !== selection.selectionSet) changed = true;
          if (inner) selections.push(inner === selection.selectionSet ? selection : { ...selection, selectionSet: inner });
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = typeOf(selection.typeCondition, parent);
          const inner = type ? filter(selection.selectionSet, type) : selection.selectionSet;
          if (inner !== selection.selectionSet) changed = true;
          if (inner) selections.push(inner === selection.selectionSet ? selection : { ...selection, selectionSet: inner });
        } else {
          const fragment = fragments[selection.name.value];
          const filtered = filteredFragment(selection.name.value);
          if (fragment && filtered && filtered.selectionSet !== fragment.selectionSet) changed = true;
          if (filtered?.selectionSet !== null) selections.push(selection);
        }
      }
      if (!changed) return set;
      changedSets.add(set);
      return selections.length > 0 ? { kind: Kind.SELECTION_SET, selections } : null;
    };
    const selectionSet = filter(operation.selectionSet, root);
    if (selectionSet === operation.selectionSet) return unchanged;

    // Pass 2: the response path of each removed field, walking only into sets that lost something.
    const errors: GraphQLFormattedError[] = [];
    const removed: RemovedField[] = [];
    const seen = new Set<string>();
    const collect = (set: SelectionSetNode, parent: GraphQLCompositeType, path: string[], nullable: boolean[]) => {
      for (const selection of set.selections) {
        work.step();
        if (selection.kind === Kind.FIELD) {
          const { field, allowed } = fieldAllowed(parent, selection.name.value);
          if (!field) continue;
          const key = selection.alias?.value ?? selection.name.value;
          const fieldPath = [...path, key];
          const fieldNullable = [...nullable, !isNonNullType(field.type)];
          if (!allowed) {
            const id = `field\u0000${fieldPath.join('\u0000')}`;
            if (seen.has(id)) continue;
            seen.add(id);
            errors.push({
              message: 'Unauthorized field or type',
              path: fieldPath,
              extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
            });
            removed.push({ path: fieldPath, nullable: fieldNullable });
            continue;
          }
          const named = getNamedType(field.type);
          if (selection.selectionSet && changedSets.has(selection.selectionSet) && isCompositeType(named)) {
            collect(selection.selectionSet, named, fieldPath, fieldNullable);
          }
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = typeOf(selection.typeCondition, parent);
          if (type && changedSets.has(selection.selectionSet)) collect(selection.selectionSet, type, path, nullable);
        } else {
          const fragment = fragments[selection.name.value];
          if (!fragment || !changedSets.has(fragment.selectionSet)) continue;
          // A fragment spread twice at one path removes the same fields there: walked once.
          const id = `spread\u0000${fragment.name.value}\u0000${path.join('\u0000')}`;
          if (seen.has(id)) continue;
          seen.add(id);
          const type = typeOf(fragment.typeCondition, parent);
          if (type) collect(fragment.selectionSet, type, path, nullable);
        }
      }
    };
    collect(operation.selectionSet, root, [], []);
    if (!selectionSet) return { document, errors, removed, empty: true };

    // The reduced document: the filtered operation, the fragments it still reaches, and only the
    // variables those use (a variable only removed fields used would be declared but undefined).
    const filtered: OperationDefinitionNode = { ...operation, selectionSet };
    const reached: FragmentDefinitionNode[] = [];
    const used = new Set<string>();
    const reachedNames = new Set<string>();
    const uses = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
      visit(node, {
        VariableDefinition: () => false,
        Variable: (variable) => {
          work.step();
          used.add(variable.name.value);
        },
        FragmentSpread: (spread) => {
          work.step();
          const name = spread.name.value;
          const selectionSetLeft = filteredFragment(name)?.selectionSet;
          if (reachedNames.has(name) || !selectionSetLeft) return;
          reachedNames.add(name);
          const definition = { ...fragments[name]!, selectionSet: selectionSetLeft };
          reached.push(definition);
          uses(definition);
        },
      });
    uses(filtered);
    const variableDefinitions = (operation.variableDefinitions ?? []).filter((definition) =>
      used.has(definition.variable.name.value),
    );
    return {
      document: { kind: Kind.DOCUMENT, definitions: [{ ...filtered, variableDefinitions }, ...reached] },
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
