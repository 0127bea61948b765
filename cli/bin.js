#!/usr/bin/env node
// The `mesoflow` command: registers tsx so the TypeScript sources run without a build.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
