// The Mesos-style JSON → Call conversion and call validation of the
// devcluster master, and the small formatters it relies on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { callFromJson, jsonSyntaxError, parseBodyJson, validateCallFields } from '../../../devcluster/master/call-validation.js';
import { formatCppDouble, validateFrameworkInfo, validateRole } from '../../../devcluster/master/frameworks.js';
import { acceptsMediaType } from '../../../devcluster/master/http-util.js';
import { toMesosJson } from '../../../devcluster/master/json-out.js';
import { validateId } from '../../../devcluster/master/ids.js';

const fail = (json: unknown): string => {
  const r = callFromJson(json);
  assert.equal(r.ok, false);
  return r.ok ? '' : r.message;
};

describe('devcluster master: call conversion', () => {
  it('reports JSON syntax errors like picojson', () => {
    assert.equal(jsonSyntaxError('{"type":"SUBSCRIBE",', 20), 'syntax error at line 1 near: ');
    assert.equal(jsonSyntaxError('{\n"a":x}', 6), 'syntax error at line 2 near: x}');
    const r = parseBodyJson('');
    assert.deepEqual(r, { ok: false, message: 'Failed to parse body into JSON: syntax error at line 1 near: ' });
  });

  it('converts like stout: unknown keys kept, null unset, numeric strings, bool strings, optional unknown enums dropped', () => {
    const r = callFromJson({
      type: 'SUBSCRIBE',
      framework_id: null,
      extra: 1,
      subscribe: { framework_info: { user: 'u', name: 'n', failover_timeout: '60', checkpoint: 'true', capabilities: [{ type: 'NOPE' }, { type: 'MULTI_ROLE' }], roles: '*' } },
    });
    assert.ok(r.ok);
    if (r.call.type !== 'SUBSCRIBE') throw new Error('not a SUBSCRIBE');
    const info = r.call.subscribe.framework_info;
    assert.equal(info.failover_timeout, 60);
    assert.equal(info.checkpoint, true);
    assert.deepEqual(info.capabilities, [{}, { type: 'MULTI_ROLE' }]);
    assert.deepEqual(info.roles, ['*']);
  });

  it('names wrong JSON types, bad base64, unknown required enums and missing required fields', () => {
    assert.equal(fail('x'), 'Failed to convert JSON into Call protobuf: Expecting a JSON object');
    assert.equal(fail({ type: 1 }), "Failed to convert JSON into Call protobuf: Not expecting a JSON number for field 'type'");
    assert.equal(fail({ type: 'KILL', framework_id: 'f' }), "Failed to convert JSON into Call protobuf: Not expecting a JSON string for field 'framework_id'");
    assert.equal(fail({ type: 'KILL', framework_id: [{ value: 'f' }] }), "Failed to convert JSON into Call protobuf: Not expecting a JSON array for field 'framework_id'");
    assert.equal(
      fail({ type: 'ACKNOWLEDGE', framework_id: { value: 'f' }, acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: 'a_b' } }),
      "Failed to convert JSON into Call protobuf: Failed to base64 decode bytes field 'uuid': Invalid character '_'",
    );
    assert.equal(
      fail({ type: 'ACCEPT', framework_id: { value: 'f' }, accept: { operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 'n', task_id: { value: 't' }, agent_id: { value: 'a' }, resources: [{ name: 'cpus', type: 'FOO' }] }] } }] } }),
      "Failed to convert JSON into Call protobuf: Failed to find enum for 'FOO'",
    );
    assert.equal(fail({ type: 'SUBSCRIBE', subscribe: {} }), 'Failed to convert JSON into Call protobuf: Missing required fields: subscribe.framework_info');
  });

  it('validates calls in Mesos order', () => {
    assert.equal(validateCallFields({}), "Expecting 'type' to be present");
    assert.equal(validateCallFields({ type: 'TEARDOWN' }), "Expecting 'framework_id' to be present");
    assert.equal(validateCallFields({ type: 'KILL', framework_id: { value: 'f' } }), "Expecting 'kill' to be present");
    assert.equal(validateCallFields({ type: 'REVIVE', framework_id: { value: 'f' } }), undefined);
    assert.equal(validateCallFields({ type: 'ACKNOWLEDGE', framework_id: { value: 'f' }, acknowledge: { uuid: 'AAAAAAAAAAAAAAAAAAAAAA==' } }), 'Not a valid UUID');
    assert.equal(validateCallFields({ type: 'ACKNOWLEDGE', framework_id: { value: 'f' }, acknowledge: { uuid: 'm1m0C1DFRP2m2tK6dFu3Gw==' } }), undefined);
  });
});

describe('devcluster master: FrameworkInfo validation and formatting', () => {
  it('validates roles and ids like Mesos', () => {
    assert.equal(validateRole('*'), undefined);
    assert.equal(validateRole('/bad'), "Role '/bad' cannot start with a slash");
    assert.equal(validateId('a/b'), "'a/b' contains invalid characters");
    assert.equal(validateId('..'), "'..' is disallowed");
    const multi = { user: 'u', name: 'n', capabilities: [{ type: 'MULTI_ROLE' }] };
    assert.equal(validateFrameworkInfo({ ...multi, roles: ['a', 'a'] }, []), "'FrameworkInfo.roles' contains duplicate items: { a }");
    assert.equal(validateFrameworkInfo({ ...multi, roles: ['*'], failover_timeout: 1e17 }, []), 'The framework failover_timeout (1e+17) is invalid');
    assert.equal(validateFrameworkInfo({ ...multi, roles: ['*'] }, ['a', 'b']), 'Suppressed roles { a, b } are not contained in the set of roles');
    assert.equal(validateFrameworkInfo({ user: 'u', name: 'n' }, ['*']), undefined);
  });

  it('prints doubles like C++ streams and Mesos JSON', () => {
    assert.equal(formatCppDouble(1e17), '1e+17');
    assert.equal(formatCppDouble(60), '60');
    assert.equal(formatCppDouble(0.5), '0.5');
    assert.equal(toMesosJson({ heartbeat_interval_seconds: 15, scalar: { value: 2 }, port: 5050, ranges: { range: [{ begin: 1, end: 2 }] }, x: null }), '{"heartbeat_interval_seconds":15.0,"scalar":{"value":2.0},"port":5050,"ranges":{"range":[{"begin":1,"end":2}]}}');
    assert.equal(toMesosJson({ resources: { cpus: 1, ports: '[1-2]' }, t: { nanoseconds: 1795532604944833024n } }), '{"resources":{"cpus":1.0,"ports":"[1-2]"},"t":{"nanoseconds":1795532604944833024}}');
  });

  it('negotiates Accept like libprocess', () => {
    assert.equal(acceptsMediaType(undefined, 'application/json'), true);
    assert.equal(acceptsMediaType('*/*', 'application/json'), true);
    assert.equal(acceptsMediaType('application/*;q=0.1', 'application/json'), true);
    assert.equal(acceptsMediaType('application/json;q=0, text/plain', 'application/json'), false);
    assert.equal(acceptsMediaType('text/plain', 'application/json'), false);
    assert.equal(acceptsMediaType('APPLICATION/JSON', 'application/json'), true);
  });
});
