// Option parsers the command-line entry points share (commander argument callbacks).
import { InvalidArgumentError } from 'commander';

/** A TCP port from 0 (any free port) to 65535. */
export function portNumber(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new InvalidArgumentError('a port from 0 to 65535');
  return port;
}
