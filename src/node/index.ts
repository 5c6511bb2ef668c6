export { createNodeEmbedder, type NodeEmbedderOptions, type NodeBackend } from './node-embedder.ts';
export { main as runCli } from './cli.ts';
export { startServer, type RunningServer, type ServeOptions } from './serve/server.ts';
