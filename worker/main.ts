// `npm run worker` (node --import tsx worker/main.ts): the same process as
// `mesoflow worker`, configured from the environment (config/definitions.ts).
import { runWorkerProcess } from '../cli/commands/serve.js';

await runWorkerProcess();
