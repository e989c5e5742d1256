import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const repoRoot = import.meta.dirname;

/**
 * The folder of every workspace package, from the root package.json's `workspaces` (a pattern is
 * either a folder or `folder/*`). Everything outside them belongs to the root package.
 */
function workspaceRoots() {
  const { workspaces } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  return workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [path.join(repoRoot, pattern)];
    const parent = path.join(repoRoot, pattern.slice(0, -2));
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(path.join(parent, entry.name, 'package.json')))
      .map((entry) => path.join(parent, entry.name));
  });
}

/**
 * A relative import that leaves its package reaches into another package's files, which that
 * package never offered: import the package by name instead, through an entry of its `exports`.
 * `no-restricted-imports` cannot express this (its patterns match the import text, not where it
 * lands), so the rule resolves each relative specifier against the importing file and compares the
 * packages that enclose the two.
 */
const noCrossPackageRelativeImport = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid relative imports that cross a workspace package boundary' },
    messages: {
      crossing:
        "'{{source}}' leaves package {{from}} for {{to}}: import it by package name, through an `exports` entry of {{to}}.",
    },
    schema: [],
  },
  create(context) {
    const roots = workspaceRoots().sort((a, b) => b.length - a.length);
    const packageOf = (file) => {
      const root = roots.find((candidate) => file === candidate || file.startsWith(candidate + path.sep));
      return root ?? repoRoot;
    };
    const nameOf = (root) => (root === repoRoot ? 'the root package' : path.relative(repoRoot, root));
    const importer = packageOf(context.filename);

    function check(node) {
      if (node?.type !== 'Literal' || typeof node.value !== 'string' || !node.value.startsWith('.')) return;
      const target = packageOf(path.resolve(path.dirname(context.filename), node.value));
      if (target === importer) return;
      context.report({
        node,
        messageId: 'crossing',
        data: { source: node.value, from: nameOf(importer), to: nameOf(target) },
      });
    }

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSExternalModuleReference: (node) => check(node.expression),
      TSImportType: (node) =>
        check(node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument),
      CallExpression(node) {
        const callee = node.callee;
        const isRequire = callee.type === 'Identifier' && callee.name === 'require';
        const isJestModuleCall =
          callee.type === 'MemberExpression' &&
          callee.object.type === 'Identifier' &&
          callee.object.name === 'jest' &&
          callee.property.type === 'Identifier' &&
          ['mock', 'unstable_mockModule', 'requireActual', 'doMock'].includes(callee.property.name);
        if (isRequire || isJestModuleCall) check(node.arguments[0]);
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', '**/__generated__/', '.data/', 'web/dist/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { cloudmart: { rules: { 'no-cross-package-relative-import': noCrossPackageRelativeImport } } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
      'cloudmart/no-cross-package-relative-import': 'error',
    },
  },
  {
    files: ['scripts/**', '**/scripts/**', 'bench/**', '**/*.config.*', 'codegen.ts', '**/src/seed/cli.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
  },
);
