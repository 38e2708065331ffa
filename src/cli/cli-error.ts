// A CLI mistake: printed as one line `edu-emulator: <message>` with a non-zero exit code.
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
