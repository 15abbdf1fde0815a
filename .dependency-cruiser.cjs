/**
 * The import rules `npm test` holds (npm run lint:imports): no import cycle between files, and none
 * between the subject folders of nodes/lib (chain -> history -> chain is a cycle even when no two
 * files import each other). Type-only imports count: a cycle of types is still a knot to untie.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-file-cycle',
      severity: 'error',
      comment: 'Two files must not import each other, directly or through others.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-subject-folder-cycle',
      severity: 'error',
      scope: 'folder',
      comment: 'The subject folders of nodes/lib form layers: none reaches back to one that uses it.',
      from: { path: '^nodes/lib/[^/]+' },
      to: { path: '^nodes/lib/[^/]+', circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6', 'cjs'],
  },
};
