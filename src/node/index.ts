export { createNodeEmbedder, type NodeEmbedderOptions, type NodeBackend } from './node-embedder.ts';
export { main as runCli } from './cli.ts';
export { startServer, type RunningServer, type ServeOptions } from './serve/server.ts';
export {
  createRemoteEmbedder,
  type RemoteEmbedder,
  type RemoteEmbedderInfo,
  type RemoteOptions,
  type RemoteEngine,
  type ProbeReport,
  type LocalReference,
  type RetryEvent,
} from '../remote/remote-embedder.ts';
