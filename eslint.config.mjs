// ESLint for the service, the CLI, the bench and the tests: typescript-eslint with type information.
// `npm run lint` runs it (and `prettier --check`); `npm test` runs lint after tsc. Formatting is Prettier's
// job alone: no stylistic rule here. Each rule choice below says why it is on or off.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Tests, test helpers and the benchmark harness: HTTP response bodies (supertest, fetch().json()) are `any`
 * by design there, fakes and white-box probes are built by casting, and jest's matchers take methods unbound.
 */
const HARNESS_FILES = [
  '**/*.spec.ts',
  'test/**/*.ts',
  'libs/**/testing/**/*.ts',
  'libs/**/*.conformance.ts',
  'libs/**/given-when-then.ts',
  'bench/**/*.ts',
];

/**
 * The one place that knows stream names and parses stored events into the domain's union (issue 14 item 3).
 * Only here may a stored event's payload be cast.
 */
const EVENT_PARSING_PLACE = ['libs/events/**/*.ts'];

// `x.data as T` / `x?.data as T`: a stored event's payload taken on trust instead of parsed. Widening a domain
// event's payload to the store's `Record<string, unknown>` (to append it) claims nothing and stays allowed.
const NOT_TO_STORED_RECORD =
  ":not([typeAnnotation.typeName.name='Record'][typeAnnotation.typeArguments.params.1.type='TSUnknownKeyword'])";
const PAYLOAD_CAST = [
  `TSAsExpression[expression.type='MemberExpression'][expression.property.name='data']${NOT_TO_STORED_RECORD}`,
  `TSAsExpression[expression.type='ChainExpression'][expression.expression.property.name='data']${NOT_TO_STORED_RECORD}`,
];
// `as CaseEvent`, `as DomainEvent[]`, `as unknown as RecordedEvent`: an event type asserted, not parsed.
const EVENT_TYPE_CAST = [
  'TSAsExpression > TSTypeReference.typeAnnotation[typeName.name=/Event$/]',
  'TSAsExpression > TSArrayType.typeAnnotation > TSTypeReference.elementType[typeName.name=/Event$/]',
];
const eventCasts = (message) => [...PAYLOAD_CAST, ...EVENT_TYPE_CAST].map((selector) => ({ selector, message }));
const EVENT_CAST_MESSAGE =
  'Events are parsed in one place (libs/events): take the typed event from there instead of casting.';
// In service code an `as any` or `as unknown as` switches the compiler off; outside the parsing place there
// is always a typed way (a parser, a type guard, a wider declared type).
const BLANKET_CASTS = [
  {
    selector: 'TSAsExpression > TSAnyKeyword.typeAnnotation',
    message: '`as any` switches type checking off; parse or narrow instead.',
  },
  {
    selector: "TSAsExpression[expression.type='TSAsExpression'][expression.typeAnnotation.type='TSUnknownKeyword']",
    message: '`as unknown as` switches type checking off; parse or narrow instead.',
  },
];

export default defineConfig(
  globalIgnores([
    'dist/',
    'data/',
    'coverage/',
    // The browser console has its own tsconfig and build (Vite); it is not part of this TypeScript project.
    'apps/console/',
  ]),
  {
    linterOptions: {
      // A stale `eslint-disable` is an error, not a warning: a successful run prints nothing.
      reportUnusedDisableDirectives: 'error',
    },
  },
  js.configs.recommended,
  // recommended-type-checked: catches floating and misused promises, awaiting non-thenables, unsafe `any`
  // flows, unbound methods, `${object}` in templates. The rules turned off below are the ones that were noise.
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Implementations of async interfaces (stores, runners, fakes) legitimately have no await; the defects
      // this would catch are covered by no-floating-promises, no-misused-promises and await-thenable.
      '@typescript-eslint/require-await': 'off',
      // `_`-prefixed names are deliberate: destructuring to omit fields, positional parameters kept for shape.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Deciders and evolvers switch over event and command unions: a new member must not fall through unseen.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `return promise` inside try/catch skips the catch (and the finally runs too early): await it there.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      // `== null` covers both null and undefined on purpose; any other loose equality is a bug.
      eqeqeq: ['error', 'smart'],
      // Not enabled, by choice:
      // - consistent-type-imports: with emitDecoratorMetadata a type-only import of a class injected in a
      //   constructor breaks Nest's dependency injection, and its autofix would rewrite ~350 import lines.
      // - prefer-nullish-coalescing: `||` on strings is deliberate where '' means "not set" (env vars, headers).
      // - no-unnecessary-condition, no-non-null-assertion: >100 reports each, mostly defensive checks at
      //   boundaries and proven indexes; noise, not defects.
      'no-restricted-syntax': ['error', ...BLANKET_CASTS, ...eventCasts(EVENT_CAST_MESSAGE)],
    },
  },
  {
    files: HARNESS_FILES,
    rules: {
      // Response bodies are `any`; the assertions (or the bench's own checks) are the type check there.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Fakes and white-box probes are built with `as unknown as`; events still may not be cast.
      'no-restricted-syntax': ['error', ...eventCasts(EVENT_CAST_MESSAGE)],
    },
  },
  {
    files: EVENT_PARSING_PLACE,
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Plain CommonJS scripts (jest config, the CLI launcher): no type information, Node globals.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
