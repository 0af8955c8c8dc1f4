import type { Command } from 'commander';
export function registerDemo(_p: Command): void {}
