/** The analyzer `init({ analyzer })` set up, for `getAnalyzer()`; forgotten when it shuts down. */
import type { LocalAnalyzer } from './local-analyzer.ts';

let current: LocalAnalyzer | undefined;

/** The local analyzer of the SDK set up by `init({ analyzer: true })`; undefined otherwise. */
export function getAnalyzer(): LocalAnalyzer | undefined {
  return current;
}

export function setCurrentAnalyzer(a: LocalAnalyzer | undefined): void {
  current = a;
}

/** Called when `a` shuts down, so a later `init()` starts from nothing. */
export function releaseAnalyzer(a: LocalAnalyzer): void {
  if (current === a) current = undefined;
}
