/**
 * Thrown only when the model itself is broken (STYLE habit 4): expected
 * outcomes such as bad input, an OOM kill or an unschedulable pod are values,
 * never exceptions.
 */
export class InvariantError extends Error {
  override name = 'InvariantError';
}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}
