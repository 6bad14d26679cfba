import { Request, Response } from 'express';

/**
 * Answers a stale-version write with 409 in Backstage's error shape (`error`, `request`,
 * `response`, so that `ResponseError.fromResponse` in a client keeps the body), plus `current`:
 * the resource as it is now, for the writer to re-apply their change on.
 */
export function sendVersionConflict(
  req: Request,
  res: Response,
  message: string,
  current: unknown,
): void {
  res.status(409).json({
    error: { name: 'ConflictError', message },
    request: { method: req.method, url: req.originalUrl },
    response: { statusCode: 409 },
    current,
  });
}
