// @apollo/gateway's isObjectOfType (dataRewrites.ts), remembered per supergraph schema: whether an
// object whose __typename is T matches the type condition C depends only on (C, T), and the same
// pairs come back for every entity of every request.
import type { GraphQLSchema } from 'graphql';
import { isObjectOfType } from '@apollo/gateway/dist/dataRewrites';

export type TypeConditionTester = (object: Record<string, unknown>, typeCondition: string) => boolean;

const testers = new WeakMap<GraphQLSchema, TypeConditionTester>();

export function typeConditionTester(schema: GraphQLSchema): TypeConditionTester {
  let tester = testers.get(schema);
  if (tester) return tester;
  const answers = new Map<string, Map<string, boolean>>();
  tester = (object, typeCondition) => {
    const typename = object.__typename;
    // Without a (string) __typename the answer depends on the object, not the pair; and only the
    // schema's own type names are remembered (a subgraph cannot grow the map).
    if (typeof typename !== 'string' || !schema.getType(typename)) return isObjectOfType(schema, object, typeCondition);
    let byTypename = answers.get(typeCondition);
    if (!byTypename) {
      byTypename = new Map();
      answers.set(typeCondition, byTypename);
    }
    let answer = byTypename.get(typename);
    if (answer === undefined) {
      answer = isObjectOfType(schema, object, typeCondition);
      byTypename.set(typename, answer);
    }
    return answer;
  };
  testers.set(schema, tester);
  return tester;
}
