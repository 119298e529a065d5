/** The web layer's own error: an HTTP status and a message for people, mapped in the app's one error handler. */
export class WebError extends Error {
  override readonly name = 'WebError';
  constructor(
    readonly statusCode: number,
    message: string,
    readonly title = 'Không thực hiện được',
    /** Seconds before the visitor may try again (429): sent as Retry-After. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
