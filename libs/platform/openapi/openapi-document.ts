import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/**
 * The OpenAPI 3.1 document of the running routes, built from the controllers' decorators. The one
 * place it is made: served at /docs and /docs-json (bootstrap.ts) and written by `npm run openapi`.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Casetrail')
    .setDescription(
      'Event-sourced partner support cases with SLA clocks and timers. Every command answers the new `revision` ' +
        '(also as `ETag`) and the global `position`: send the revision back as `If-Match` to refuse a stale write (412), ' +
        'and the position as `consistentWith` to a list read to wait until it shows the command. Errors are RFC 9457 ' +
        'problem+json.',
    )
    .setVersion('1')
    // Relative: Swagger UI's "Try it out" calls the service that serves the document.
    .addServer('/', 'The service serving this document')
    .addServer('{scheme}://{host}:{port}', 'A service at a given address', {
      scheme: { default: 'http', enum: ['http', 'https'] },
      host: { default: '127.0.0.1' },
      port: { default: '3000' },
    })
    // Keys are opaque random tokens (API_KEYS_FILE or the dev keys), not JWTs.
    .addSecurity('bearer', {
      type: 'http',
      scheme: 'bearer',
      description:
        'An API key: `Authorization: Bearer <key>`. Keys are opaque tokens; each has a role (support, manager, partner, ops, auditor, admin).',
    })
    .addTag('cases', 'Case submission, the case commands and case reads')
    .addTag('engineers', 'Engineers and their availability')
    .addTag('alerts', 'SLA alerts: warnings, breaches, escalations, pauses')
    .addTag('sla', 'The SLA policy in force')
    .addTag('admin', 'Projection status and rebuilds')
    .addTag('ops', 'Health and metrics')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  return toOpenApi31(document);
}

/**
 * @nestjs/swagger writes 3.0 schemas whatever the version says (`nullable: true`); 3.1 is JSON
 * Schema, where null is a type. Public routes (no security requirement) say so with `security: []`.
 */
function toOpenApi31(document: OpenAPIObject): OpenAPIObject {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    // A lone `allOf: [{$ref}]` (how Nest refers to an enum or class beside other keywords): 3.1 allows
    // siblings of $ref, so refer directly.
    if (
      Array.isArray(schema.allOf) &&
      schema.allOf.length === 1 &&
      Object.keys(schema.allOf[0] as object).join() === '$ref'
    ) {
      schema.$ref = (schema.allOf[0] as { $ref: string }).$ref;
      delete schema.allOf;
    }
    if (schema.nullable === true) {
      delete schema.nullable;
      if (typeof schema.type === 'string') {
        schema.type = [schema.type, 'null'];
        if (Array.isArray(schema.enum) && !schema.enum.includes(null))
          schema.enum = [...(schema.enum as unknown[]), null];
      } else {
        const { description, ...rest } = schema;
        for (const key of Object.keys(schema)) delete schema[key];
        Object.assign(schema, description === undefined ? {} : { description }, { anyOf: [rest, { type: 'null' }] });
      }
    } else if (schema.nullable === false) {
      delete schema.nullable;
    }
    Object.values(schema).forEach(visit);
  };
  visit(document.components?.schemas);
  for (const item of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'put', 'post', 'delete', 'patch'].includes(method) || !operation || typeof operation !== 'object')
        continue;
      visit(operation);
      const op = operation as { security?: unknown[] };
      op.security ??= [];
    }
  }
  return document;
}
