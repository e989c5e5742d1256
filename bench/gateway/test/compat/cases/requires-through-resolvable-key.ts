// Ours, for federation-gateway-audit "keys-mashup" #0: a subgraph declares several keys for an
// entity, the first one `resolvable: false`, and has a field that @requires a field of another
// subgraph, so the plan comes back to it with a key. @apollo/query-graphs 2.14.4 comes back with
// the first key whatever its `resolvable`, and the subgraph cannot find the entity by it (route:
// null); our patch of it (patches/, applied at install) uses the resolvable one. The patch is in
// the planner both gateways use, so stock is right here too, and both are checked against it.
import type { CompatCase } from '@cloudmart/test-kit/compat';

const parcels = [
  { id: 'p1', barcode: 'BC-001', recipient: 'Ana Lima', weightGrams: 1200 },
  { id: 'p2', barcode: 'BC-002', recipient: 'Jon Berg', weightGrams: 300 },
];
const routes = [
  { id: 'route-1', parcels: ['p1'] },
  { id: 'route-2', parcels: ['p2', 'p1'] },
];

type ParcelKey = { id?: string; barcode?: string; recipient?: string };

export const requiresThroughResolvableKey: CompatCase = {
  name: 'requires-through-resolvable-key',
  source: 'ours',
  covers: ['several @key per entity, some resolvable: false', '@requires back into the subgraph'],
  subgraphs: [
    {
      name: 'depot',
      typeDefs: `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

        type Parcel @key(fields: "id") @key(fields: "barcode", resolvable: false) {
          id: ID!
          barcode: String!
          recipient: String!
          weightGrams: Int!
        }
      `,
      resolvers: {
        Parcel: {
          __resolveReference: ({ id }: ParcelKey) => parcels.find((parcel) => parcel.id === id) ?? null,
        },
      },
    },
    {
      name: 'routing',
      typeDefs: `
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

        type Query {
          route(id: ID!): Route
          routes: [Route!]!
        }

        type Route @key(fields: "id") {
          id: ID!
          parcels: [Parcel!]!
        }

        type Parcel @key(fields: "barcode", resolvable: false) @key(fields: "id") {
          id: ID!
          barcode: String!
          recipient: String! @external
          label: String! @requires(fields: "recipient")
        }
      `,
      resolvers: (() => {
        const withParcels = (route: (typeof routes)[number]) => ({
          id: route.id,
          parcels: route.parcels.map((id) => {
            const parcel = parcels.find((candidate) => candidate.id === id)!;
            return { id: parcel.id, barcode: parcel.barcode };
          }),
        });
        return {
          Query: {
            route: (_: unknown, { id }: { id: string }) => {
              const route = routes.find((candidate) => candidate.id === id);
              return route ? withParcels(route) : null;
            },
            routes: () => routes.map(withParcels),
          },
          Parcel: {
            // Found by id only: the barcode key is not resolvable here.
            __resolveReference: ({ id, recipient }: ParcelKey) => {
              const parcel = parcels.find((candidate) => candidate.id === id);
              return parcel ? { id: parcel.id, barcode: parcel.barcode, recipient } : null;
            },
            label: ({ barcode, recipient }: { barcode: string; recipient?: string }) => {
              if (recipient === undefined) throw new Error('recipient was not provided');
              return `${barcode} → ${recipient}`;
            },
          },
        };
      })(),
    },
  ],
  queries: [
    {
      // Nothing required.
      query: '{ route(id: "route-1") { id parcels { id barcode weightGrams } } }',
      expected: {
        data: { route: { id: 'route-1', parcels: [{ id: 'p1', barcode: 'BC-001', weightGrams: 1200 }] } },
      },
    },
    {
      query: '{ route(id: "route-1") { id parcels { id recipient label } } }',
      expected: {
        data: {
          route: {
            id: 'route-1',
            parcels: [{ id: 'p1', recipient: 'Ana Lima', label: 'BC-001 → Ana Lima' }],
          },
        },
      },
    },
    {
      // A list of them, the same parcel on two routes.
      query: '{ routes { id parcels { label weightGrams } } }',
      expected: {
        data: {
          routes: [
            { id: 'route-1', parcels: [{ label: 'BC-001 → Ana Lima', weightGrams: 1200 }] },
            {
              id: 'route-2',
              parcels: [
                { label: 'BC-002 → Jon Berg', weightGrams: 300 },
                { label: 'BC-001 → Ana Lima', weightGrams: 1200 },
              ],
            },
          ],
        },
      },
    },
  ],
};
