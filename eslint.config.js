// Lint rules for ficus: eslint's recommended set plus typescript-eslint's, over our sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.dependency-cruiser.cjs', 'dist/**', 'node_modules/**', 'ficus-report/**', 'test-output/**', 'bench/**/generated/**', '**/fixtures/**', 'reports/assets/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Only cli/ ends the process (STYLE.md rule 7); parts return or throw.
    files: ['analyzer/**', 'gateway/**', 'cdc/**', 'reports/**', 'core/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'Only cli/ calls process.exit; throw a FicusError instead.' }],
    },
  },
  {
    // Browser code of the reports, bundled by esbuild into the HTML.
    files: ['reports/assets/client/**'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', performance: 'readonly', HTMLElement: 'readonly', HTMLInputElement: 'readonly' } },
  },
  {
    // The sample monolith imitates legacy code; the CLI, bench and tests may print.
    files: ['samples/**', 'bench/**', 'test/**', '**/*.test.ts', 'bin/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
