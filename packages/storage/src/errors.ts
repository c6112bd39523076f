/** Every storage failure reaches callers as this one type, so APIs can map it to a status. */
export class StorageError extends Error {
  constructor(
    message: string,
    readonly kind: 'unavailable' | 'invalid' | 'internal' = 'internal',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}
