import cliProgress from 'cli-progress';

/** A progress bar on stderr, only on a terminal and never in --json mode; a no-op otherwise. */
export function progressBar(label: string, json: boolean): { update(f: number): void; stop(): void } {
  if (json || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {duration}s`, hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const t0 = Date.now();
  return {
    update(f: number) {
      // Only show a bar for work that takes more than a second.
      if (!started && Date.now() - t0 < 1000) return;
      if (!started) {
        bar.start(100, 0);
        started = true;
      }
      bar.update(Math.round(f * 100));
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
