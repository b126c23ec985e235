/**
 * What a command may touch of the outside world, injected so the CLI is tested without
 * spawning: output streams, environment, working directory, whether stderr is a terminal.
 */
export interface TextSink {
  write(chunk: string): unknown;
}

export interface CliIO {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** True when stderr is a terminal (progress bars only then). */
  readonly interactive: boolean;
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stderr.isTTY),
  };
}
