// Development launchers: the local stand-ins for production's stores and brokers that `npm start`,
// the benches and the tests start on 127.0.0.1. Never part of a service image.
export * from './dynamodb-local';
export * from './kafka-mock';
export * from './ports';
export * from './postgres';
export * from './redis-server';
export * from './temp-dir';
export * from './s3-server';
export * from './maildev';
