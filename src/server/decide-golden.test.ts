import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { outcomeOf } from '../../test/golden/decide-outcome.js';
import { ROOT } from '../../test/helpers.js';
import { Serving } from '../app/serving.js';
import type { GoldenCase } from '../core/offers/decide-golden.test.js';
import type { RecsModel } from '../core/recs/model.js';
import { DAY_MS } from '../core/time.js';
import { buildApp } from './app.js';
import { parseServerConfig } from './config.js';

const dir = join(ROOT, 'test', 'golden');
const model = JSON.parse(readFileSync(join(dir, 'decide-model.json'), 'utf8')) as RecsModel;
const { cases } = JSON.parse(readFileSync(join(dir, 'decide-cases.json'), 'utf8')) as { cases: GoldenCase[] };
const PUB = 'pk_test_0123456789abcdef';

test(
  'the golden decide cases over HTTP: the server answers exactly what decide() answers, cached or ' + 'not',
  async () => {
    for (const c of cases) {
      const config = parseServerConfig({
        publishableKeys: [PUB],
        secretKeys: ['sk_test_0123456789abcdef01234567'],
        offers: c.config,
      });
      // A case with a history is a known customer of the snapshot, asked on the day the case names.
      const histories = new Map(c.history && c.context.customer ? [[c.context.customer.id, c.history]] : []);
      const clock = () => new Date((c.today ?? 20600) * DAY_MS + 12 * 3_600_000);
      const app = await buildApp({
        config: () => config,
        serving: new Serving({ model, offers: config.offers, histories }, clock),
        clock,
        events: { size: 0, degraded: null, append: () => ({ accepted: 0, duplicates: 0 }) },
      });
      for (let ask = 0; ask < 3; ask++) {
        const r = await app.inject({
          method: 'POST',
          url: '/v1/decide',
          headers: { authorization: `Bearer ${PUB}` },
          payload: c.context,
        });
        assert.equal(r.statusCode, 200, `${c.name}: ${r.body}`);
        const got = outcomeOf(r.json());
        assert.deepEqual(got, c.expect, `${c.name} (ask ${ask + 1})`);
      }
      await app.close();
    }
  },
);
