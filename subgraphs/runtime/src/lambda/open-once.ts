// What a Lambda handler opens (clients, stores, the handler over them) is opened once per container,
// on the first invocation, and reused by the invocations after it: Lambda keeps a container's
// module state between invocations, and opening at import time would run before the runtime has
// handed the function its first event (and fail a test that only imports the module).

/**
 * `open()` run on the first call and its result shared by every call after it. When it fails, the
 * call that ran it rejects and the next call opens again: a container whose first start met a
 * passing fault (a DNS hiccup, a throttled credential fetch) is not broken for its whole life.
 */
export function openOnce<T>(open: () => T | Promise<T>): () => Promise<T> {
  let opened: Promise<T> | undefined;
  return () => {
    opened ??= (async () => open())().catch((error: unknown) => {
      opened = undefined;
      throw error;
    });
    return opened;
  };
}

/**
 * A Lambda entry point (`export const handler = lazyHandler(...)`) whose handler is built by
 * `open()` on the first invocation, from the environment, and reused by the later ones.
 */
export function lazyHandler<Event, Result>(
  open: () => ((event: Event) => Promise<Result>) | Promise<(event: Event) => Promise<Result>>,
): (event: Event) => Promise<Result> {
  const opened = openOnce(open);
  return async (event) => (await opened())(event);
}
