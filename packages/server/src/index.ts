export { type RunningServer, type ServerOptions, startServer } from './start-server.ts';
export { generateTrace, mulberry32, runTracegen } from './tracegen/index.ts';
