// The Mesos agent's --resources / --attributes syntax and default resources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentResources, defaultAgentResources, parseAttributesFlag, parseResourcesFlag, ResourcesFlagError } from '../../../devcluster/agent/resources-flag.js';

const GB = 1024 ** 3;

test('--resources: scalars, ranges and sets, unreserved resources carry role "*"', () => {
  assert.deepEqual(parseResourcesFlag('cpus:4;mem:8192;disk:10240;ports:[31000-32000]'), [
    { name: 'cpus', role: '*', type: 'SCALAR', scalar: { value: 4 } },
    { name: 'mem', role: '*', type: 'SCALAR', scalar: { value: 8192 } },
    { name: 'disk', role: '*', type: 'SCALAR', scalar: { value: 10240 } },
    { name: 'ports', role: '*', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] } },
  ]);
  assert.deepEqual(parseResourcesFlag('disks:{sda, sdb}'), [{ name: 'disks', role: '*', type: 'SET', set: { item: ['sda', 'sdb'] } }]);
});

test('--resources: a role in parentheses, spaces, fixed-point scalars, coalesced ranges', () => {
  assert.deepEqual(parseResourcesFlag(' cpus(web) : 1.23456 ; ports:[5-6, 1-3,4-4]'), [
    { name: 'cpus', role: 'web', type: 'SCALAR', scalar: { value: 1.235 } },
    { name: 'ports', role: '*', type: 'RANGES', ranges: { range: [{ begin: 1, end: 6 }] } },
  ]);
  assert.deepEqual(parseResourcesFlag('mem:0x10'), [{ name: 'mem', role: '*', type: 'SCALAR', scalar: { value: 16 } }]);
  assert.deepEqual(parseResourcesFlag(''), []);
  assert.deepEqual(parseResourcesFlag(';;cpus:1;'), [{ name: 'cpus', role: '*', type: 'SCALAR', scalar: { value: 1 } }]);
});

test('--resources: the JSON array form; resources without a role get "*"', () => {
  const json = JSON.stringify([
    { name: 'cpus', type: 'SCALAR', scalar: { value: 2 } },
    { name: 'gpus', type: 'SCALAR', scalar: { value: 1 }, role: 'ml' },
  ]);
  assert.deepEqual(parseResourcesFlag(json), [
    { name: 'cpus', type: 'SCALAR', scalar: { value: 2 }, role: '*' },
    { name: 'gpus', type: 'SCALAR', scalar: { value: 1 }, role: 'ml' },
  ]);
  assert.throws(() => parseResourcesFlag('[{"type":"SCALAR"}]'), /Expecting 'name' to be present/);
});

test('--resources: errors name the bad token', () => {
  const cases: Array<[string, RegExp]> = [
    ['cpus:4;mem', /'mem'.*missing or extra ':'/],
    ['cpus:4:5', /'cpus:4:5'.*missing or extra ':'/],
    ['cpus(web:4', /'cpus\(web:4'.*mismatched parentheses/],
    ['cpus:lots', /'cpus:lots'.*Bad type for resource cpus value lots type TEXT/],
    ['ports:[1-2', /'ports:\[1-2'.*Mismatched brackets/],
    ['ports:[a-b]', /Expecting non-negative integers in 'a'/],
    ['ports:[1-2-3]', /Expecting one or more "ranges"/],
    ['cpus:-1', /'cpus:-1'.*Negative scalar/],
    ['cpus:', /'cpus:'.*missing or extra ':'/],
    ['cpus:inf', /Invalid scalar value 'inf'/],
    ['x:a{b}', /Unexpected '\{' found/],
  ];
  for (const [text, re] of cases) {
    assert.throws(() => parseResourcesFlag(text), (err: unknown) => {
      assert.ok(err instanceof ResourcesFlagError, `${text}: ${String(err)}`);
      assert.match(err.message, re, text);
      return true;
    });
  }
});

test('--attributes: text, scalar and ranges typed as Mesos does; sets are refused', () => {
  assert.deepEqual(parseAttributesFlag('rack:r1;zone:a;weight:2.5;levels:[1-10]'), [
    { name: 'rack', type: 'TEXT', text: { value: 'r1' } },
    { name: 'zone', type: 'TEXT', text: { value: 'a' } },
    { name: 'weight', type: 'SCALAR', scalar: { value: 2.5 } },
    { name: 'levels', type: 'RANGES', ranges: { range: [{ begin: 1, end: 10 }] } },
  ]);
  // Only the first ':' separates: the value may hold more.
  assert.deepEqual(parseAttributesFlag('url:http://x'), [{ name: 'url', type: 'TEXT', text: { value: 'http://x' } }]);
  assert.throws(() => parseAttributesFlag('disks:{a,b}'), /'disks:\{a,b\}'.*Bad type for attribute disks text \{a,b\} type SET/);
  assert.throws(() => parseAttributesFlag('rack'), /'rack'.*Invalid attribute key:value pair/);
  assert.throws(() => parseAttributesFlag('rack:'), /Invalid attribute key:value pair/);
});

test('default resources: cores, memory minus 1 GB (half below 2 GB), disk minus 5 GB (half below 10 GB), ports', () => {
  const big = defaultAgentResources('/', { cores: 8, memBytes: 16 * GB, diskBytes: 100 * GB });
  assert.deepEqual(big.map((r) => [r.name, r.scalar?.value ?? r.ranges?.range]), [
    ['cpus', 8],
    ['mem', 15 * 1024],
    ['disk', 95 * 1024],
    ['ports', [{ begin: 31000, end: 32000 }]],
  ]);
  const small = defaultAgentResources('/', { cores: 1, memBytes: 1 * GB, diskBytes: 4 * GB });
  assert.deepEqual(small.map((r) => r.scalar?.value), [1, 512, 2048, undefined]);
  assert.ok(defaultAgentResources(process.cwd()).every((r) => r.role === '*'));
});

test('agentResources fills in what --resources leaves out', () => {
  const facts = { cores: 4, memBytes: 8 * GB, diskBytes: 50 * GB };
  const rs = agentResources('cpus:2;gpus:1', '/', facts);
  assert.deepEqual(rs.map((r) => [r.name, r.scalar?.value ?? 'ranges']), [
    ['cpus', 2],
    ['gpus', 1],
    ['mem', 7 * 1024],
    ['disk', 45 * 1024],
    ['ports', 'ranges'],
  ]);
});
