// npm run bench: runs every bench/*.bench.ts in turn, each in its own process (so one benchmark's
// servers and JIT state cannot colour the next), and fails if any of them fails.
// Each benchmark writes its numbers to bench/results/<name>.json and .md.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const benchDir = __dirname;
const only = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n▶ ${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, file)], {
    stdio: 'inherit',
    env: { LOG_LEVEL: 'silent', ...process.env, NODE_ENV: 'test' },
  });
  if (result.status !== 0) {
    failed += 1;
    console.error(`✗ ${file} failed (exit ${result.status ?? result.signal})`);
  }
}
console.log(`\n${files.length - failed} of ${files.length} benchmark(s) done; results in bench/results/`);
process.exit(failed ? 1 : 0);
