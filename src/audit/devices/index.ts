import { fileSinkFactory } from './file.js';
import type { SinkFactory } from './sink.js';
import { socketSinkFactory } from './socket.js';
import { syslogSinkFactory } from './syslog.js';

export type { AuditSink, SinkFactory } from './sink.js';
export { FileSink, fileSinkFactory } from './file.js';
export { SocketSink, socketSinkFactory } from './socket.js';
export { SyslogSink, syslogSinkFactory } from './syslog.js';

/** The device types Vault ships, by type name. */
export const builtinSinkFactories: ReadonlyMap<string, SinkFactory> = new Map(
  [fileSinkFactory, socketSinkFactory, syslogSinkFactory].map((f) => [f.type, f]),
);
