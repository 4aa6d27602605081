import type { FastifyServerOptions } from 'fastify';

/**
 * Neither listener declares a JSON schema, so Fastify's default schema compilers (Ajv with
 * ajv-formats, fast-json-stringify: some 120 files) would be loaded and kept for nothing, in
 * resident memory (bench/NOTES.md). Fastify loads its defaults only when no compiler is
 * given (`schemaController.compilersFactory`, lib/schema-controller.js); these refuse loudly if a
 * route ever does declare a schema, instead of silently skipping validation.
 */
const noSchemas = (): never => {
  throw new Error('origin-signer routes declare no schemas; add Fastify\'s compilers before adding one');
};

export const WITHOUT_SCHEMA_COMPILERS: Pick<FastifyServerOptions, 'schemaController'> = {
  schemaController: { compilersFactory: { buildValidator: noSchemas, buildSerializer: noSchemas } },
};
