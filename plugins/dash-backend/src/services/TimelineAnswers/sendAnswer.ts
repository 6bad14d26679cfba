import { Request, Response } from 'express';
import { ServerTiming } from './ServerTiming';
import { TimelineAnswer } from './TimelineAnswer';

/**
 * Answers with the shared serialized timeline: its validator as `ETag`, `304 Not Modified` when
 * the caller's `If-None-Match` names it, else the body, gzip-compressed once for everyone when
 * the caller accepts gzip. `private, no-cache`: a browser may keep it but asks every time, and
 * no shared cache keeps it (the answer depends on who asks). With `timing`, its phases (and
 * `gzip`, the wait for the compressed body) go into a `Server-Timing` header.
 */
export async function sendAnswer(
  req: Request,
  res: Response,
  answer: TimelineAnswer,
  timing?: ServerTiming,
): Promise<void> {
  res.set('ETag', answer.etag);
  res.set('Cache-Control', 'private, no-cache');
  res.vary('Accept-Encoding');
  const timed = () => {
    const header = timing?.header();
    if (header) res.set('Server-Timing', header);
  };
  if (req.fresh) {
    timed();
    res.status(304).end();
    return;
  }
  res.type('application/json; charset=utf-8');
  if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
    const body = timing
      ? await timing.time('gzip', () => answer.gzip())
      : await answer.gzip();
    // Already compressed: the compression middleware leaves a body with an encoding alone.
    res.set('Content-Encoding', 'gzip');
    timed();
    res.send(body);
    return;
  }
  timed();
  res.send(answer.json);
}
