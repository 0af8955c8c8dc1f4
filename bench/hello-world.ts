import cluster from 'node:cluster';
import Fastify from 'fastify';

/**
 * The baseline server of serve.bench.ts: one hello-world Fastify route, in `argv[2]` processes (Node
 * cluster).
 */
const workers = Number(process.argv[2] ?? 1);
if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let up = 0;
  cluster.on('listening', (_w, a) => {
    if (++up === workers) console.log(`hello on http://127.0.0.1:${a.port}`);
  });
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    process.exit(0);
  });
} else {
  const app = Fastify();
  app.post('/hello', async () => ({ hello: 'world' }));
  const at = await app.listen({ port: 0, host: '127.0.0.1' });
  if (cluster.isPrimary) console.log(`hello on ${at}`);
}
