// The Mesos v1 scheduler protocol (JSON mode) as zod schemas: import from here.
export * from './scalars.js';
export * from './ids.js';
export * from './common.js';
export * from './volume.js';
export * from './resources.js';
export * from './framework.js';
export * from './offer.js';
export * from './task.js';
export * from './status.js';
export * from './operations.js';
export * from './calls.js';
export * from './events.js';
export * from './operator.js';
export * from './errors.js';
export {
  parseMesosJson,
  stringifyMesosJson,
  MesosJsonError,
  durationToMs,
  msToDuration,
  secondsToDuration,
  timeToMs,
  msToTime,
  int64ToNumber,
  int64ToBigInt,
  normalizeInt64,
  decodeUuid,
  encodeUuid,
  isValidStatusUuid,
  uuidToString,
  newStatusUuid,
  InvalidUuidError,
  type Int64,
} from '../json.js';
