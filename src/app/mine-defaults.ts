import type { MineParams } from '../core/recs/model.js';

/** levers mine's defaults (a module of their own: the CLI's help shows them without loading the miner). */
export const MINE_DEFAULTS: MineParams = { minSupport: 0.01, minConfidence: 0.3, maxLen: 4, topK: 50 };
