/**
 * A task that runs until the test releases it, for saturating a bounded pool on purpose: nothing
 * then depends on how long real work takes.
 */
export function heldTask() {
  let release!: () => void;
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    task: async () => {
      started();
      await done;
      return 'finished';
    },
    running,
    release,
  };
}
