import { Request, Response } from 'express';
import { TimelineAnswer } from './TimelineAnswer';

/**
 * Answers with the shared serialized timeline: its validator as `ETag`, `304 Not Modified` when
 * the caller's `If-None-Match` names it, else the body, gzip-compressed once for everyone when
 * the caller accepts gzip. `private, no-cache`: a browser may keep it but asks every time, and
 * no shared cache keeps it (the answer depends on who asks).
 */
export async function sendAnswer(
  req: Request,
  res: Response,
  answer: TimelineAnswer,
): Promise<void> {
  res.set('ETag', answer.etag);
  res.set('Cache-Control', 'private, no-cache');
  res.vary('Accept-Encoding');
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  res.type('application/json; charset=utf-8');
  if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
    const body = await answer.gzip();
    // Already compressed: the compression middleware leaves a body with an encoding alone.
    res.set('Content-Encoding', 'gzip');
    res.send(body);
    return;
  }
  res.send(answer.json);
}
