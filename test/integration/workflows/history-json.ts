// Reads a history JSON file (as `temporal workflow show --output json`
// writes it) into the SDK's History message. The SDK's own historyFromJSON
// cannot be used with the installed packages: @temporalio/common resolves a
// newer protobufjs than @temporalio/proto, and its JSON reader rejects the
// older library's types ("type must be a Type"). So the JSON is read with
// the newer library against a copy of the same descriptors, and handed over
// as protobuf bytes, which both versions agree on.
import { createRequire } from 'node:module';
import type * as protoTypes from '@temporalio/proto';

type History = protoTypes.temporal.api.history.v1.History;

const require = createRequire(import.meta.url);
// CommonJS module objects, as the SDK itself uses them (an ESM namespace would not patch).
const proto = require('@temporalio/proto') as typeof protoTypes;
const { patchProtobufRoot } = require('@temporalio/proto/lib/patch-protobuf-root') as { patchProtobufRoot(root: unknown): unknown };
const commonDir = require.resolve('@temporalio/common/package.json').replace(/package\.json$/, '');
const requireFromCommon = createRequire(commonDir);

interface PbType {
  encode(message: unknown): { finish(): Uint8Array };
}
interface PbRoot {
  lookupType(name: string): PbType;
}
interface Protobuf {
  Root: { fromJSON(json: unknown): PbRoot };
}
const pb = requireFromCommon('protobufjs') as Protobuf;
const { fromJson } = requireFromCommon('protobufjs/ext/protojson') as { fromJson(type: PbType, json: unknown, options?: object): unknown };

let historyType: PbType | undefined;

export function historyFromFileJSON(json: unknown): History {
  if (!historyType) {
    const root = patchProtobufRoot(proto) as unknown as { toJSON(): unknown };
    historyType = pb.Root.fromJSON(root.toJSON()).lookupType('temporal.api.history.v1.History');
  }
  const message = fromJson(historyType, json, { ignoreUnknownFields: true });
  return proto.temporal.api.history.v1.History.decode(historyType.encode(message).finish());
}
