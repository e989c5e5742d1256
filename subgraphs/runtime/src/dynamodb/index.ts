export * from './batch';
export * from './client';
export * from './stream-follower';
export * from './tables';
