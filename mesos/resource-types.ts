// The Mesos message types resource arithmetic and matching work on: the
// zod-inferred types of mesos/schemas (Range bounds are number | bigint there;
// this module normalizes them to numbers).
export type { Attribute, Offer, Resource } from './schemas/index.js';
