// GraphQL types for every operation in src/, generated from the schema the server prints
// (`accord schema`, kept in schema.graphql by a Rust test). `npm run codegen:check` fails when
// src/gql is out of date with either, so a schema change without regenerating fails CI.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      config: {
        // Operations are sent as strings: no GraphQL parser ships to the browser.
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' },
        strictScalars: true,
        skipTypename: true,
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
