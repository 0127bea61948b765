import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobSpec, parseJobSpec, InvalidJobSpecError } from '../../../workflows/job-spec.js';

test('a minimal spec gets every default', () => {
  const s = jobSpec({ command: 'true' });
  assert.equal(s.command, 'true');
  assert.deepEqual(s.resources, { cpus: 0.1, mem: 32, disk: 0, gpus: 0, ports: 0 });
  assert.deepEqual(s.env, {});
  assert.deepEqual(s.constraints, []);
  assert.deepEqual(s.uris, []);
  assert.equal(s.retry.maxAttempts, 1);
  assert.deepEqual(s.retry.retryOn, ['failed']);
  assert.equal(s.retry.maxInfrastructureRetries, 10);
  assert.equal(s.killGracePeriodSeconds, 3);
  assert.equal(s.offerTimeoutSeconds, 86400);
  assert.equal(s.timeoutSeconds, undefined);
});

test('a full spec parses, with nested defaults', () => {
  const s = jobSpec({
    name: 'build',
    command: ['/bin/echo', 'hi'],
    env: { FOO: 'bar' },
    user: 'nobody',
    resources: { cpus: 2, mem: 512, ports: 2 },
    constraints: [
      { field: 'rack', operator: 'EQUALS', value: 'r1' },
      { field: 'hostname', operator: 'LIKE', value: 'node-.*' },
      { field: 'hostname', operator: 'UNIQUE' },
    ],
    container: { type: 'DOCKER', image: 'alpine:3' },
    uris: [{ value: 'http://x/y.tgz' }],
    labels: { team: 'a' },
    retry: { maxAttempts: 3, retryOn: ['failed', 'timeout'] },
    timeoutSeconds: 60,
    killGracePeriodSeconds: 1,
    offerTimeoutSeconds: 30,
  });
  assert.deepEqual(s.resources, { cpus: 2, mem: 512, disk: 0, gpus: 0, ports: 2 });
  assert.deepEqual(s.container, { type: 'DOCKER', image: 'alpine:3', network: 'HOST', forcePull: false });
  assert.deepEqual(s.uris[0], { value: 'http://x/y.tgz', executable: false, extract: true, cache: false });
  assert.deepEqual(s.retry.backoff, { initialSeconds: 1, multiplier: 2, maxSeconds: 60 });
  assert.equal(s.constraints.length, 3);
});

test('unknown fields are rejected with their path', () => {
  const r = parseJobSpec({ command: 'x', resources: { cpu: 1 }, colour: 'red' });
  assert.equal(r.ok, false);
  if (r.ok) return;
  const paths = r.issues.map((i) => i.path).sort();
  assert.ok(paths.includes('resources'), JSON.stringify(r.issues));
  assert.ok(paths.includes('(root)'), JSON.stringify(r.issues));
});

test('bad values name the field', () => {
  const r = parseJobSpec({ command: '', resources: { cpus: -1 }, env: { '1X': 'a' }, retry: { retryOn: ['lost'] }, constraints: [{ field: 'h', operator: 'NEAR', value: 'x' }] });
  assert.equal(r.ok, false);
  if (r.ok) return;
  const paths = new Set(r.issues.map((i) => i.path));
  for (const p of ['command', 'resources.cpus', 'env.1X', 'retry.retryOn.0', 'constraints.0']) assert.ok([...paths].some((x) => x.startsWith(p)), `${p} in ${[...paths].join(',')}`);
});

test('missing command and UNIQUE on a non-hostname field are errors', () => {
  assert.throws(() => jobSpec({}), (e: unknown) => e instanceof InvalidJobSpecError && e.issues.some((i) => i.path === 'command'));
  assert.equal(parseJobSpec({ command: 'x', constraints: [{ field: 'rack', operator: 'UNIQUE' }] }).ok, false);
  assert.equal(parseJobSpec({ command: 'x', container: { type: 'APPC', image: 'a' } }).ok, false);
});

test('a LIKE/UNLIKE constraint whose pattern does not compile is rejected at its value path; EQUALS takes any text', () => {
  const bad = parseJobSpec({ command: 'true', constraints: [{ field: 'hostname', operator: 'LIKE', value: '((' }] });
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok && bad.issues.some((i) => i.path === 'constraints.0.value' && /regular expression/.test(i.message)), JSON.stringify(bad));
  const unlike = parseJobSpec({ command: 'true', constraints: [{ field: 'rack', operator: 'UNLIKE', value: '[' }] });
  assert.equal(unlike.ok, false);
  const eq = parseJobSpec({ command: 'true', constraints: [{ field: 'rack', operator: 'EQUALS', value: '((' }, { field: 'rack', operator: 'LIKE', value: 'r[0-9]+' }] });
  assert.equal(eq.ok, true);
});
