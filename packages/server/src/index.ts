export { startServer, type RunningServer, type ServerOptions } from './start-server.ts';
export { generateTrace, mulberry32, runTracegen } from './tracegen/index.ts';
