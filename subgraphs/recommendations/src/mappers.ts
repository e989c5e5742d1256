// Parent types for codegen: what resolvers of each GraphQL type receive (see codegen.ts).

/** Only the key: the products subgraph owns the rest. */
export interface ProductModel {
  id: string;
}

/** Only the key: the users subgraph owns the rest. */
export interface UserModel {
  id: string;
}
