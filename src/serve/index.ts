/** `fr2en serve`: a local translation service. See server.ts for the parts. */
export { resolveServeOptions, SERVE_DEFAULTS, type ServeConfig, type ServeOptions } from './config.js';
export { readApiKeys } from './api-keys.js';
export { createServer, type Server, type ServerOptions } from './server.js';
export { logEvent, type LogSink } from './access-log.js';
