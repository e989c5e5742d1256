export * from './config';
export * from './create';
export * from './envelope';
export * from './event-bus';
export * from './file-log-bus';
export * from './in-process-bus';
export * from './kafka-bus';
export * from './product-events';
