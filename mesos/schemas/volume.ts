// Volume and Image: used both by ContainerInfo and by Resource.disk, so they
// live apart from both to keep the import graph acyclic.
import { z } from 'zod';
import { boolSchema, openEnum } from './scalars.js';
import { secretSchema } from './common.js';

export const imageTypes = ['APPC', 'DOCKER'] as const;
export const imageSchema = z.looseObject({
  type: z.enum(imageTypes),
  appc: z.looseObject({ name: z.string(), id: z.string().optional() }).optional(),
  docker: z.looseObject({ name: z.string(), credential: z.looseObject({}).optional(), config: secretSchema.optional() }).optional(),
  cached: boolSchema.optional(),
});
export type Image = z.infer<typeof imageSchema>;

export const volumeModes = ['RW', 'RO'] as const;
export const volumeSchema = z.looseObject({
  mode: z.enum(volumeModes),
  container_path: z.string(),
  host_path: z.string().optional(),
  image: imageSchema.optional(),
  source: z
    .looseObject({
      type: openEnum(['UNKNOWN', 'DOCKER_VOLUME', 'HOST_PATH', 'SANDBOX_PATH', 'SECRET', 'CSI_VOLUME'] as const).optional(),
    })
    .optional(),
});
export type Volume = z.infer<typeof volumeSchema>;
