// docker-compose.yml (production-shaped) and docker-compose.demo.yml, checked
// without a Docker engine: the Compose specification's JSON schema, the
// references the schema cannot see, and that every service a mesoflow
// container needs is reachable by the name and port it is configured with.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../stack/temporal-cli.js';
import { searchAttributeDefs } from '../../../workflows/search-attributes.js';
import {
  commandOf,
  endpointsIn,
  environment,
  environmentAddressProblems,
  loadCompose,
  mesoflowServices,
  reachabilityProblems,
  referenceProblems,
  schemaErrors,
  type ComposeFile,
} from '../../support/compose-check.js';

const root = projectRoot();
const files = ['docker-compose.yml', 'docker-compose.demo.yml'];
const clone = (f: ComposeFile): ComposeFile => structuredClone(f);

describe('compose files', () => {
  for (const name of files) {
    describe(name, () => {
      const file = loadCompose(join(root, name));

      it('is valid against the Compose specification schema', () => {
        assert.deepEqual(schemaErrors(file), []);
      });

      it('defines every service, secret, volume and network it refers to', () => {
        assert.deepEqual(referenceProblems(file), []);
        assert.deepEqual(environmentAddressProblems(file), []);
      });

      it('gives every mesoflow container a reachable Temporal and Mesos master, waited for', () => {
        const services = mesoflowServices(file);
        assert.ok(services.length > 0);
        for (const s of services) assert.deepEqual(reachabilityProblems(file, s, ['TEMPORAL_ADDRESS', 'MESOS_MASTER'], { mustDependOn: true }), []);
      });

      it('sets an API token and never runs tasks as root', () => {
        const text = readFileSync(join(root, name), 'utf8');
        for (const s of mesoflowServices(file)) {
          const svc = file.services[s]!;
          const env = environment(svc);
          assert.ok(env.MESOFLOW_FRAMEWORK_USER && env.MESOFLOW_FRAMEWORK_USER !== 'root', `${s}: MESOFLOW_FRAMEWORK_USER=${env.MESOFLOW_FRAMEWORK_USER}`);
          assert.notEqual(svc.user, 'root');
          if (!['api', 'start'].includes(commandOf(svc)[0] ?? '')) continue;
          const token = env.MESOFLOW_API_TOKEN_FILE ?? env.MESOFLOW_API_TOKEN;
          assert.ok(token, `${s} serves the API without a token`);
          const secret = /^\/run\/secrets\/(.+)$/.exec(env.MESOFLOW_API_TOKEN_FILE ?? '')?.[1];
          if (secret !== undefined) {
            assert.ok((svc.secrets ?? []).some((x) => (typeof x === 'string' ? x : x.source) === secret), `${s} does not mount the secret ${secret}`);
          }
          // Published on loopback only.
          for (const p of svc.ports ?? []) assert.match(String(p), /^127\.0\.0\.1:/);
        }
        assert.doesNotMatch(text, /MESOFLOW_FRAMEWORK_USER:\s*root/);
      });

      it('registers the mesoflow search attributes', () => {
        const text = readFileSync(join(root, name), 'utf8');
        for (const a of searchAttributeDefs) assert.ok(text.includes(`${a.name}=${a.type}`), `${a.name}=${a.type} not registered in ${name}`);
      });
    });
  }

  describe('docker-compose.yml is production-shaped', () => {
    const file = loadCompose(join(root, 'docker-compose.yml'));

    it('runs two workers and one API from the image, on ZooKeeper-registered masters, Temporal on PostgreSQL and its UI', () => {
      const roles = mesoflowServices(file).map((s) => commandOf(file.services[s]!)[0]);
      assert.deepEqual(roles.sort(), ['api', 'worker', 'worker']);
      const masters = Object.keys(file.services).filter((s) => /^mesos-master/.test(s));
      assert.ok(masters.length >= 3, 'an odd number of masters for the replicated log quorum');
      for (const m of masters) {
        const env = environment(file.services[m]!);
        assert.deepEqual(reachabilityProblems(file, m, ['MESOS_ZK'], { mustDependOn: true }), []);
        assert.equal(Number(env.MESOS_QUORUM), Math.floor(masters.length / 2) + 1);
      }
      assert.deepEqual(reachabilityProblems(file, 'mesos-agent', ['MESOS_MASTER']), []);
      assert.match(environment(file.services['mesos-agent']!).MESOS_MASTER ?? '', /^zk:\/\//);
      const temporal = environment(file.services.temporal!);
      assert.match(file.services.temporal!.image ?? '', /^temporalio\//);
      assert.deepEqual(reachabilityProblems({ services: { ...file.services, temporal: { ...file.services.temporal!, environment: { ...temporal, PG: `${temporal.POSTGRES_SEEDS}:${temporal.DB_PORT}` } } } }, 'temporal', ['PG'], { mustDependOn: true }), []);
      assert.deepEqual(reachabilityProblems(file, 'temporal-ui', ['TEMPORAL_ADDRESS'], { mustDependOn: true }), []);
      assert.deepEqual(reachabilityProblems(file, 'temporal-search-attributes', ['TEMPORAL_ADDRESS'], { mustDependOn: true }), []);
    });

    it('comes up in order: health checks on what others wait for, workers after the search attributes', () => {
      for (const [name, s] of Object.entries(file.services)) {
        const deps = s.depends_on ?? {};
        assert.ok(!Array.isArray(deps), `${name}: depends_on without conditions`);
        for (const [dep, { condition }] of Object.entries(deps)) {
          assert.ok(condition === 'service_healthy' || condition === 'service_completed_successfully', `${name} → ${dep}: ${condition}`);
          if (condition === 'service_healthy') assert.ok(file.services[dep]?.healthcheck?.test !== undefined && !file.services[dep]?.healthcheck?.disable, `${dep} has no health check`);
        }
      }
      for (const s of mesoflowServices(file)) {
        const deps = file.services[s]!.depends_on as Record<string, { condition: string }>;
        assert.equal(deps['temporal-search-attributes']?.condition, 'service_completed_successfully');
      }
    });

    it('keeps what must persist in named volumes', () => {
      for (const s of ['zookeeper', 'mesos-master-1', 'mesos-master-2', 'mesos-master-3', 'mesos-agent', 'postgresql']) {
        assert.ok((file.services[s]!.volumes ?? []).some((v) => typeof v === 'string' && file.volumes?.[v.split(':')[0]!] !== undefined), `${s} has no named volume`);
      }
    });
  });

  describe('the checks themselves', () => {
    const file = loadCompose(join(root, 'docker-compose.yml'));

    it('find addresses in the forms mesoflow and Mesos take', () => {
      assert.deepEqual(endpointsIn('M', 'http://m1:5050,http://m2:5050').map((e) => `${e.host}:${e.port}`), ['m1:5050', 'm2:5050']);
      assert.deepEqual(endpointsIn('M', 'zk://u:p@z1:2181,z2:2181/mesos').map((e) => `${e.host}:${e.port}`), ['z1:2181', 'z2:2181']);
      assert.deepEqual(endpointsIn('T', 'temporal:7233').map((e) => e.port), [7233]);
      assert.deepEqual(endpointsIn('R', 'cpus:2;mem:2048;ports:[31000-32000]'), []);
    });

    it('catch a wrong port, an unknown host, a missing dependency and a schema violation', () => {
      const api = mesoflowServices(file).find((s) => commandOf(file.services[s]!)[0] === 'api')!;
      const wrongPort = clone(file);
      (wrongPort.services[api]!.environment as Record<string, string>).TEMPORAL_ADDRESS = 'temporal:7234';
      assert.match(reachabilityProblems(wrongPort, api, ['TEMPORAL_ADDRESS']).join(), /temporal:7234, but temporal listens on 7233/);
      const unknown = clone(file);
      (unknown.services[api]!.environment as Record<string, string>).MESOS_MASTER = 'http://mesos:5050';
      assert.match(reachabilityProblems(unknown, api, ['MESOS_MASTER']).join(), /names mesos, which is no service/);
      const noDep = clone(file);
      delete (noDep.services[api]!.depends_on as Record<string, unknown>)['temporal-search-attributes'];
      assert.match(reachabilityProblems(noDep, api, ['TEMPORAL_ADDRESS'], { mustDependOn: true }).join(), /does not wait for/);
      const bad = clone(file) as unknown as { services: Record<string, Record<string, unknown>> };
      bad.services.temporal!.depends_on = { postgresql: { condition: 'service_ready' } };
      assert.ok(schemaErrors(bad).length > 0, 'an unknown depends_on condition is a schema error');
      bad.services.temporal!.depends_on = { postgresql: { condition: 'service_healthy' } };
      bad.services.temporal!.restart_policy = 'always';
      assert.ok(schemaErrors(bad).length > 0, 'an unknown service key is a schema error');
    });
  });
});
