// The gateway benchmark's checked-in files are what their generators write: the composed bench
// supergraph (bench/gateway/supergraph.ts) and the expected responses (bench/gateway/expected.ts).
import { benchQueries } from '../queries';
import { expectedResponses, readExpected } from '../expected';
import { composeBenchSupergraph, readCheckedInSupergraph } from '../supergraph';

it('the checked-in bench supergraph is the current composition of the bench subgraphs', () => {
  expect(readCheckedInSupergraph()).toBe(composeBenchSupergraph());
});

it.each(benchQueries.map((query) => [query.name] as const))('expected/%s.json is current', (name) => {
  expect(readExpected(name)).toEqual(expectedResponses[name]);
});
