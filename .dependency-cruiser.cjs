/**
 * Boundaries between ficus's parts (DESIGN.md "Parts and their faces"): no cycles; a part is
 * entered only through its index.ts; analyzer, gateway and cdc never import each other;
 * reports reads the other parts only through their faces; only cli/ calls process.exit
 * (checked by eslint's no-restricted-properties below, since it is not an import).
 */
const PARTS = 'analyzer|gateway|cdc|reports|core|cli';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'face-only',
      comment: 'Another part is imported only through its index.ts.',
      severity: 'error',
      from: { path: `^(${PARTS})/` },
      to: { path: `^(${PARTS})/.+`, pathNot: [`^(${PARTS})/index\\.ts$`, '^$1/'] },
    },
    {
      name: 'working-parts-independent',
      comment: 'analyzer, gateway and cdc never import each other.',
      severity: 'error',
      from: { path: '^(analyzer|gateway|cdc)/' },
      to: { path: '^(analyzer|gateway|cdc)/', pathNot: '^$1/' },
    },
    {
      name: 'core-has-no-domain',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: `^(analyzer|gateway|cdc|reports|cli)/` },
    },
    {
      name: 'parts-not-cli',
      comment: 'Only cli/ composes the parts; nothing imports cli/.',
      severity: 'error',
      from: { path: `^(analyzer|gateway|cdc|reports|core)/` },
      to: { path: '^cli/' },
    },
    {
      name: 'reports-reads-results',
      comment: 'reports/ imports the working parts only through their faces (types, pure functions).',
      severity: 'error',
      from: { path: '^reports/' },
      to: { path: '^(analyzer|gateway|cdc)/.+', pathNot: '^(analyzer|gateway|cdc)/index\\.ts$' },
    },
    {
      name: 'no-samples-or-tests-in-parts',
      severity: 'error',
      from: { path: `^(${PARTS})/`, pathNot: '\\.test\\.ts$' },
      to: { path: '^(samples|test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|test-output)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
