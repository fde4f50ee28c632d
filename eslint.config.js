import tseslint from 'typescript-eslint'

// Lint: TypeScript recommended rules plus the import boundaries of ARCHITECTURE.md:
// shared imports only zod; renderer imports only shared; core never imports electron,
// renderer or preload; only src/main/index.ts and src/main/electron/ touch Electron.

const noElectron = { group: ['electron', 'electron/*'], message: 'only src/main/index.ts and src/main/electron/ may import electron' }
const noUi = { group: ['**/renderer/**', '**/preload/**'], message: 'the core never imports the renderer or preload' }

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/results/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|zod/|\\.{1,2}/).*',
              message: 'src/shared may import only zod and other shared files',
            },
            { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'src/shared imports nothing of ours outside shared' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/main/**', '**/preload/index*', 'electron', 'electron/*', 'node:*'], message: 'the renderer imports only shared code and browser libraries' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron, noUi] }] },
  },
  {
    files: ['src/main/electron/**/*.ts', 'src/main/index.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noUi] }] },
  },
)
