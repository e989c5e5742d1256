// Product images (npm run bench -- media), issue 20:
//
// 1. Processing: one 12-megapixel JPEG (4000 × 3000, a photo-like picture: smooth shapes under fine
//    noise, ~quality 85, under the 5 MB upload limit) checked and made into the three WebP variants
//    by the products subgraph's own code (makeImageVariants), in this process: wall time and CPU
//    time (libvips works on several threads) per image, median of the runs.
// 2. An admin session through the gateway, as the web app does it: createProductImageUpload, the
//    PUT of the file to the presigned URL (the local S3, which checks the signature), then
//    attachProductImage, one upload after the other for UPLOAD_BENCH_SECONDS: uploads per minute,
//    and each step's p50 and p99. The test supergraph (products alone) runs in this process, the
//    local S3 in its own.
//
// Writes bench/results/media.{json,md}.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { makeImageVariants, MAX_UPLOAD_BYTES } from '@cloudmart/products/image-processing';
import { repoRoot } from '@cloudmart/runtime';
import {
  createProduct,
  localS3Env,
  makeTempDir,
  mintCaller,
  postGraphQL,
  startLocalS3,
  startTestSupergraph,
} from '@cloudmart/test-kit';
import { percentile } from './percentile';

const RUNS = 7;
const SESSION_SECONDS = Number(process.env.UPLOAD_BENCH_SECONDS ?? 30);
const BUCKET = 'cloudmart-media-bench';

const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** A 4000 × 3000 photo-like JPEG: large soft shapes and fine noise, as a product photo has. */
async function twelveMegapixelJpeg(): Promise<Buffer> {
  const width = 4000;
  const height = 3000;
  const shapes = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
      <defs><radialGradient id="g"><stop offset="0" stop-color="#f4d8b0"/><stop offset="1" stop-color="#3a5a80"/></radialGradient></defs>
      <rect width="100%" height="100%" fill="url(#g)"/>
      <circle cx="1900" cy="1400" r="900" fill="#c0392b" opacity="0.8"/>
      <rect x="600" y="2000" width="2800" height="600" rx="120" fill="#2c3e50" opacity="0.7"/>
    </svg>`,
  );
  const noise = await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 14 } } })
    .raw()
    .toBuffer();
  return sharp(shapes)
    .composite([{ input: noise, raw: { width, height, channels: 3 }, blend: 'overlay' }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

interface ProcessingRow {
  width: number;
  height: number;
  bytes: number;
  wallMs: number;
  cpuMs: number;
  variants: string;
}

async function measureProcessing(photo: Buffer): Promise<ProcessingRow> {
  await makeImageVariants(photo, 'image/jpeg'); // libvips' first run loads its codecs
  const wall: number[] = [];
  const cpu: number[] = [];
  let variants = '';
  for (let run = 0; run < RUNS; run += 1) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const made = await makeImageVariants(photo, 'image/jpeg');
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1_000);
    variants = made.variants.map((variant) => `${variant.width} px ${Math.round(variant.bytes.length / 1024)} KiB`).join(', ');
  }
  const { width = 0, height = 0 } = await sharp(photo).metadata();
  return { width, height, bytes: photo.length, wallMs: round(median(wall)), cpuMs: round(median(cpu)), variants };
}

interface SessionRow {
  seconds: number;
  uploads: number;
  perMinute: number;
  /** Per step: p50 / p99 in ms. */
  steps: Record<'createUpload' | 'put' | 'attach' | 'total', { p50: number; p99: number }>;
}

async function measureSession(photo: Buffer): Promise<SessionRow> {
  const temp = makeTempDir('media-bench');
  const s3 = await startLocalS3({ directory: temp.dir, buckets: [BUCKET] });
  const graph = await startTestSupergraph({
    only: ['products'],
    env: localS3Env(s3, BUCKET),
  });
  try {
    const admin = await mintCaller(graph, 'ADMIN');
    const times = { createUpload: [] as number[], put: [] as number[], attach: [] as number[], total: [] as number[] };
    // A product holds at most 10 images, its generated pictures included: a new one every 5 uploads.
    let productId = '';
    const started = performance.now();
    let uploads = 0;
    while (performance.now() - started < SESSION_SECONDS * 1_000) {
      if (uploads % 5 === 0) productId = await createProduct(graph, admin, { stock: 1 });
      const t0 = performance.now();
      const created = await postGraphQL<{ createProductImageUpload: { uploadId: string; uploadUrl: string; headers: { name: string; value: string }[] } }>(
        graph.gatewayUrl,
        'mutation($p: ID!, $t: String!, $s: Int!) { createProductImageUpload(productId: $p, contentType: $t, byteSize: $s) { uploadId uploadUrl headers { name value } } }',
        { p: productId, t: 'image/jpeg', s: photo.length },
        admin.headers,
      );
      const upload = created.data?.createProductImageUpload;
      if (!upload) throw new Error(`createProductImageUpload: ${JSON.stringify(created.errors)}`);
      const t1 = performance.now();
      const put = await fetch(upload.uploadUrl, {
        method: 'PUT',
        headers: Object.fromEntries(upload.headers.map((header) => [header.name, header.value])),
        body: new Uint8Array(photo),
      });
      if (put.status !== 200) throw new Error(`PUT answered ${put.status}`);
      const t2 = performance.now();
      const attached = await postGraphQL(
        graph.gatewayUrl,
        'mutation($u: ID!) { attachProductImage(uploadId: $u, alt: "A product photo") { id } }',
        { u: upload.uploadId },
        admin.headers,
      );
      if (attached.errors) throw new Error(`attachProductImage: ${JSON.stringify(attached.errors)}`);
      const t3 = performance.now();
      times.createUpload.push(t1 - t0);
      times.put.push(t2 - t1);
      times.attach.push(t3 - t2);
      times.total.push(t3 - t0);
      uploads += 1;
    }
    const seconds = (performance.now() - started) / 1_000;
    const summary = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
    };
    return {
      seconds: round(seconds),
      uploads,
      perMinute: round((uploads / seconds) * 60),
      steps: {
        createUpload: summary(times.createUpload),
        put: summary(times.put),
        attach: summary(times.attach),
        total: summary(times.total),
      },
    };
  } finally {
    await graph.stop();
    await s3.stop();
    temp.remove();
  }
}

async function main() {
  const photo = await twelveMegapixelJpeg();
  if (photo.length > MAX_UPLOAD_BYTES) throw new Error(`the test photo is ${photo.length} bytes, over the upload limit`);
  console.log(`12-megapixel JPEG: ${Math.round(photo.length / 1024)} KiB`);
  const processing = await measureProcessing(photo);
  console.log(`processing: ${processing.wallMs} ms wall, ${processing.cpuMs} ms CPU per image (${processing.variants})`);
  const session = await measureSession(photo);
  console.log(`admin session: ${session.uploads} uploads in ${session.seconds} s, ${session.perMinute} per minute`);

  const environment = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    loadAverage: os.loadavg().map((value) => round(value, 2)),
    sharp: sharp.versions,
    libvipsThreads: sharp.concurrency(),
  };
  writeFileSync(
    path.join(repoRoot, 'bench', 'results', 'media.json'),
    `${JSON.stringify({ benchmark: 'media', environment, processing, session }, null, 2)}\n`,
  );
  const step = (name: keyof SessionRow['steps']) => `${session.steps[name].p50} / ${session.steps[name].p99}`;
  const lines = [
    '# media',
    '',
    'Product images (`npm run bench -- media`, issue 20). **Processing**: one 12-megapixel JPEG checked and made into the three WebP variants (200, 600, 1200 px) by the products subgraph\'s own code (`makeImageVariants`), in process, median of the runs; CPU time counts every libvips thread. **Admin session**: through the gateway, one upload after another as the web app makes them (createProductImageUpload, the PUT to the presigned URL on the local S3, which checks signatures, attachProductImage); the products subgraph and gateway in this process, the local S3 in its own.',
    `${environment.cpus}, Node ${environment.node}, sharp ${environment.sharp.sharp} (libvips ${environment.sharp.vips}, ${environment.libvipsThreads} threads), ${environment.date}, load average ${environment.loadAverage.join(' ')} at the end.`,
    '',
    '## Processing one 12-megapixel JPEG',
    '',
    '| original | size | wall (ms) | CPU (ms) | variants |',
    '| --- | ---: | ---: | ---: | --- |',
    `| ${processing.width} × ${processing.height} JPEG | ${Math.round(processing.bytes / 1024)} KiB | ${processing.wallMs} | ${processing.cpuMs} | ${processing.variants} |`,
    '',
    '## An admin session',
    '',
    `| seconds | uploads | uploads per minute | createProductImageUpload p50 / p99 (ms) | PUT p50 / p99 (ms) | attachProductImage p50 / p99 (ms) | whole upload p50 / p99 (ms) |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${session.seconds} | ${session.uploads} | ${session.perMinute} | ${step('createUpload')} | ${step('put')} | ${step('attach')} | ${step('total')} |`,
    '',
  ];
  writeFileSync(path.join(repoRoot, 'bench', 'results', 'media.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
