/**
 * The one error type of request handling: a status plus the message that goes into the DCM error
 * body `{"error":{"message":"..."}}`. Named factories keep messages uniform.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.headers = headers;
  }

  static badRequest(message: string): ApiError {
    return new ApiError(400, message);
  }

  static forbidden(message: string): ApiError {
    return new ApiError(403, message);
  }

  /** `No such Server ID: 42` — the type and the id, in the style of the API's own messages. */
  static notFound(type: string, id: unknown): ApiError {
    return new ApiError(404, `No such ${type} ID: ${String(id)}`);
  }

  static conflict(message: string): ApiError {
    return new ApiError(409, message);
  }

  static methodNotAllowed(method: string, path: string, allowed: string[]): ApiError {
    return new ApiError(405, `${method} is not supported on ${path}; allowed: ${allowed.join(', ')}`, { allow: allowed.join(', ') });
  }
}

/** The DCM error body. */
export function errorBody(message: string): { error: { message: string } } {
  return { error: { message } };
}
