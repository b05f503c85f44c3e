// Starts a TypeScript worker-thread entry under tsx: the thread gets `--import tsx`, whose hook
// handles require() of a .ts file (an ES module entry or an eval'd bootstrap would not get it).
require(require('node:worker_threads').workerData.entry);
