import type { Affected, ClassifiedChange, SchemaCheckResult } from './check';

/** What was checked, for the report's evidence. */
export interface CheckEvidence {
  /** The published schema compared with (a path), or undefined before the first publish. */
  published?: string;
  webManifest: { file: string; operations: number };
  partners: { file: string; names: string[]; operations: number; missing: string[] };
  usage: {
    from: string;
    days: number;
    since: string;
    clients: string[];
    operations: number;
    fields: number;
    olderEntries: number;
  };
  contractProblems: string[];
}

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const affectedRow = (a: Affected) =>
  `| ${cell(a.client)} | ${a.source} | ${code(a.operation)} | ${a.path ? code(a.path) : '—'} | ${cell(a.detail)} | ${a.lastSeen ?? '—'} |`;

function clientsChecked(evidence: CheckEvidence): string {
  const { webManifest, partners, usage } = evidence;
  const partnerOperations =
    partners.names.length > 0 ? `${partners.operations} operations of ${partners.names.join(', ')}` : 'none registered';
  return [
    `- the web client's manifest: ${webManifest.operations} operations (${code(webManifest.file)})`,
    `- partner manifests: ${partnerOperations} (${code(partners.file)})` +
      (partners.missing.length > 0 ? `; manifest missing for ${partners.missing.join(', ')}` : ''),
    `- recorded usage (${usage.from}): ${usage.operations} operations and ${usage.fields} field coordinates ` +
      `seen since ${usage.since} (the last ${usage.days} days) from ${usage.clients.length > 0 ? usage.clients.join(', ') : 'no client'}` +
      (usage.olderEntries > 0 ? `; ${usage.olderEntries} older entries not counted` : ''),
  ].join('\n');
}

/** The Markdown report `schema:check` writes and CI posts on the pull request. */
export function renderReport(result: SchemaCheckResult, evidence: CheckEvidence): string {
  const ok = result.ok && evidence.contractProblems.length === 0;
  const count = (level: ClassifiedChange['level']) => result.changes.filter((c) => c.level === level).length;
  const lines: string[] = [
    `# Schema check: ${ok ? 'passed' : 'FAILED'}`,
    '',
    evidence.published
      ? `The working tree's API schema compared with the published one (${code(evidence.published)}): ` +
        `${result.changes.length} change${result.changes.length === 1 ? '' : 's'}, ${count('BREAKING')} breaking, ${count('DANGEROUS')} dangerous, ` +
        `${count('NON_BREAKING')} safe (classified by @graphql-inspector/core).`
      : 'No schema has been published yet: every registered operation was validated against the working tree\'s API schema.',
    '',
    'Clients checked:',
    clientsChecked(evidence),
    '',
  ];
  if (result.broken.length > 0) {
    lines.push(
      '## Blocked: operations this change breaks',
      '',
      '| Client | Known from | Operation | Path | What breaks | Last seen |',
      '| --- | --- | --- | --- | --- | --- |',
      ...result.broken.map(affectedRow),
      '',
    );
  }
  if (evidence.contractProblems.length > 0) {
    lines.push('## Partner contract problems', '', ...evidence.contractProblems.map((p) => `- ${p}`), '');
  }
  const safeBreaking = result.changes.filter((c) => c.level === 'BREAKING' && c.affected.length === 0);
  if (safeBreaking.length > 0) {
    lines.push(
      '## Breaking changes no client uses: safe to ship',
      '',
      ...safeBreaking.map(
        (c) =>
          `- ${c.message}${c.path ? ` (${code(c.path)})` : ''}: none of the operations and recorded fields above touch it.`,
      ),
      '',
    );
  }
  if (result.changes.length > 0) {
    lines.push(
      '## Every change',
      '',
      '| Level | Change | Path | Clients reached |',
      '| --- | --- | --- | --- |',
      ...result.changes.map(
        (c) =>
          `| ${c.level} | ${cell(c.message)} | ${c.path ? code(c.path) : '—'} | ${
            c.affected.length > 0 ? [...new Set(c.affected.map((a) => a.client))].join(', ') : '—'
          } |`,
      ),
      '',
    );
  }
  if (result.alreadyInvalid.length > 0) {
    lines.push(
      '## Invalid before this change too (not blocking)',
      '',
      '| Client | Known from | Operation | Path | What breaks | Last seen |',
      '| --- | --- | --- | --- | --- | --- |',
      ...result.alreadyInvalid.map(affectedRow),
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
