import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cli, type Running, startCli, tempDir } from './helpers.js';
import { SKIP_NO_POSTGRES, startPostgres, type TestPostgres } from './postgres.js';

const PUB = 'pk_test_0123456789abcdef';

describe('model snapshots shared through PostgreSQL', { skip: SKIP_NO_POSTGRES }, () => {
  let server: TestPostgres | undefined;
  const serving: Running[] = [];
  after(async () => {
    for (const s of serving) await s.stop();
    server?.destroy();
  });

  test('a new model mined on one machine is served by two servers (own folders) within 5 s, no request failing', async () => {
    server = await startPostgres();
    const url = await server.createDatabase('snapshots');
    const miner = ['--store', tempDir(), '--database', url];
    for (const args of [
      ['db', 'migrate'],
      ['simulate', '--seed', '4', '--days', '14', '--sessions-per-day', '300'],
      ['mine', '--min-support', '0.01'],
    ]) {
      const r = await cli([...miner, ...args]);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    }
    const config = join(tempDir(), 'levers.config.json');
    writeFileSync(
      config,
      JSON.stringify({ publishableKeys: [PUB], secretKeys: ['sk_test_0123456789abcdef01234567'] }),
    );
    // Each server has a folder of its own, empty: it starts on the model published in the database.
    const urls: string[] = [];
    for (let i = 0; i < 2; i++) {
      const s = await startCli([
        '--store',
        tempDir(),
        '--database',
        url,
        'serve',
        '--port',
        '0',
        '--config',
        config,
      ]);
      serving.push(s);
      urls.push(s.url);
    }
    const modelOf = async (u: string) =>
      ((await (await fetch(`${u}/healthz`)).json()) as { model: number }).model;
    assert.deepEqual(await Promise.all(urls.map(modelOf)), [1, 1]);

    let stop = false;
    const statuses: number[] = [];
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        const r = await fetch(`${urls[i % 2]}/v1/decide`, {
          method: 'POST',
          headers: { authorization: `Bearer ${PUB}`, 'content-type': 'application/json' },
          body: JSON.stringify({ page: 'cart', sessionId: `snap-${i}`, cart: [] }),
        });
        await r.body?.cancel();
        statuses.push(r.status);
        await new Promise((res) => setTimeout(res, 20));
      }
    })();
    const mined = await cli([...miner, 'mine', '--min-support', '0.02']);
    assert.equal(mined.code, 0, mined.stderr);
    const t0 = Date.now();
    let models = [0, 0];
    while (Date.now() - t0 < 5000) {
      models = await Promise.all(urls.map(modelOf));
      if (models.every((m) => m === 2)) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    stop = true;
    await load;
    assert.deepEqual(models, [2, 2], `after ${Date.now() - t0} ms`);
    assert.ok(statuses.length > 20 && statuses.every((s) => s === 200), JSON.stringify(statuses));
  });
});
