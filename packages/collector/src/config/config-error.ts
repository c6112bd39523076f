/** A config that cannot run, with every problem found, each naming its key path. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[], source = 'config') {
    super(`${source} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** zod issues → `a.b.c: message` lines. */
export function issueLines(
  prefix: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string[] {
  return issues.map((i) => {
    const path = [prefix, ...i.path.map(String)].filter((p) => p !== '').join('.');
    return `${path || '(top level)'}: ${i.message}`;
  });
}
