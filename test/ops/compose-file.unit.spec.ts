import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';

const DOCKER = join(__dirname, '../../docker');
const COMPOSE_FILE = join(DOCKER, 'compose.yaml');
/**
 * The Compose specification's JSON schema (compose-spec/compose-go, schema/compose-spec.json,
 * Apache-2.0; see docker/README.md), kept in the repository so CI validates without a Docker engine.
 */
const SCHEMA = JSON.parse(readFileSync(join(DOCKER, 'compose-spec.schema.json'), 'utf8'));

const compose = () => parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true });
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(SCHEMA);
const errorsOf = (document: unknown) =>
  validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

describe('docker/compose.yaml', () => {
  it('is valid against the Compose specification schema', () => {
    expect(errorsOf(compose())).toEqual([]);
  });

  it('the validation catches what is not Compose (so the check above can fail)', () => {
    const broken = compose();
    broken.services.api.healthcheck.interval = 10;
    broken.services.worker.depends_on.redis.condition = 'when-ready';
    broken.volumez = {};
    const errors = errorsOf(broken);
    expect(errors.join('\n')).toMatch(/\/services\/api\/healthcheck\/interval must be string/);
    expect(errors.join('\n')).toMatch(
      /\/services\/worker\/depends_on\/redis\/condition must be equal to one of the allowed values/,
    );
    expect(errors.join('\n')).toMatch(/must NOT have additional properties/);
  });

  it('docker compose config accepts it too, where the compose plugin is installed', () => {
    const version = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (version.status !== 0) return; // no plugin here: the schema check above stands in for it
    const config = spawnSync('docker', ['compose', '-f', COMPOSE_FILE, 'config', '--quiet', '--no-interpolate'], {
      encoding: 'utf8',
    });
    expect(config.stderr).toBe('');
    expect(config.status).toBe(0);
  });

  it('pins every image to a version', () => {
    const images = Object.entries(compose().services as Record<string, { image?: string }>).map(([name, s]) => [
      name,
      s.image,
    ]);
    expect(images.length).toBeGreaterThanOrEqual(5);
    for (const [name, image] of images)
      expect(`${name} ${image}`).toMatch(/^\S+ [a-z0-9./-]+:\d+\.\d+(\.\d+)?(-[a-z0-9-]+)?$/);
    const dockerfile = readFileSync(join(DOCKER, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:\d+\.\d+\.\d+-[a-z]+-slim$/m);
    expect(dockerfile.match(/^FROM .*/gm)).toEqual(['FROM ${NODE_IMAGE} AS build', 'FROM ${NODE_IMAGE} AS runtime']);
  });

  it('every service has a health check, and the api and worker start once their dependencies are healthy', () => {
    const { services } = compose();
    for (const [name, service] of Object.entries<any>(services))
      expect([name, service.healthcheck?.test?.length > 0]).toEqual([name, true]);
    for (const role of ['api', 'worker']) {
      expect(services[role].depends_on).toEqual({
        eventstoredb: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
      expect(services[role].healthcheck.test.join(' ')).toContain('/health/ready');
    }
    expect(readFileSync(join(DOCKER, 'Dockerfile'), 'utf8')).toMatch(
      /^HEALTHCHECK .*\\\n\s+CMD \["node", "-e", ".*\/health\/live/m,
    );
  });

  it('runs in production mode on mounted API keys, never on generated dev keys', () => {
    const { services, secrets } = compose();
    for (const role of ['api', 'worker']) {
      expect(services[role].environment).toMatchObject({
        NODE_ENV: 'production',
        API_KEYS_FILE: '/run/secrets/api-keys',
      });
      expect(services[role].secrets).toEqual(['api-keys']);
    }
    expect(secrets['api-keys']).toEqual({ file: './secrets/api-keys.json' });
  });

  it('configures Redis as BullMQ needs it (noeviction, AOF, hz 100)', () => {
    const command = compose().services.redis.command.join(' ');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--hz 100');
  });
});
