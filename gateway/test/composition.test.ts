import { readFileSync } from 'node:fs';
import { readSupergraphConfig } from '@cloudmart/runtime';
import { composeSupergraph, supergraphFile } from '../src/compose';

describe('supergraph composition', () => {
  const outcome = composeSupergraph();

  it('composes the checked-in subgraph schemas without errors', () => {
    expect(outcome.ok ? [] : outcome.errors).toEqual([]);
  });

  it('matches the checked-in gateway/supergraph.graphql (run `npm run compose` when it does not)', () => {
    if (!outcome.ok) throw new Error('composition failed');
    expect(readFileSync(supergraphFile, 'utf8')).toBe(outcome.supergraphSdl);
  });

  it('includes every subgraph that supergraph.yaml lists', () => {
    if (!outcome.ok) throw new Error('composition failed');
    for (const { name } of readSupergraphConfig().subgraphs) {
      expect(outcome.supergraphSdl).toContain(`@join__graph(name: "${name}"`);
    }
  });

  it('reports a readable error when a schema breaks composition', () => {
    const config = readSupergraphConfig();
    const broken = composeSupergraph({
      ...config,
      subgraphs: [...config.subgraphs, { ...config.subgraphs[0]!, name: 'clash', routingUrl: 'http://127.0.0.1:1/graphql' }],
    });
    // The same type owned by two subgraphs without @shareable is a composition error.
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.errors.join('\n')).toMatch(/INVALID_FIELD_SHARING|not shareable/i);
  });
});
