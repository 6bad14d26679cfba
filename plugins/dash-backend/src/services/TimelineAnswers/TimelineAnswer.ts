import { DashTimelineResponse } from '@dash-suite/plugin-dash-common';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);

/**
 * gzip level of the answers. Level 3 is the strongest of zlib's fast levels: on a 2,030-event
 * answer (668 KB of JSON) it took 1.9 ms for 36.8 KB where the default level 6 took 5.1 ms for
 * 33.1 KB. An answer compressed once for a crowd hardly cares; a cache miss waits for it.
 */
const GZIP_LEVEL = 3;

/** A timeline answer, serialized once for every caller who shares it. */
export interface TimelineAnswer {
  /** The answer; shared, so nobody may change it. */
  readonly value: DashTimelineResponse;
  /** The JSON body. */
  readonly json: Buffer;
  /** The JSON body, gzip-compressed (compressed once, on first use). */
  gzip(): Promise<Buffer>;
  /**
   * A weak validator (`W/"…"`) of what the answer says: its events, related events,
   * correlations, entities and each source's status. It leaves out when the answer was made,
   * its window's exact bounds and when each source last fetched, so that a live tab polling a
   * window that moves with the clock gets `304 Not Modified` for as long as nothing it shows
   * has changed.
   */
  readonly etag: string;
}

/**
 * The UTF-8 bytes of two serialized objects joined into one (`{"a":1}` and `{"b":2}` make
 * `{"a":1,"b":2}`), written straight into one buffer. Encoding the joined string instead costs
 * 20 times as much on a 600 KB answer (3.2 ms against 0.16 ms): a string built from a slice
 * and a concatenation is encoded through a slow path.
 */
function joinObjects(first: string, second: string): Buffer {
  if (first === '{}') return Buffer.from(second);
  if (second === '{}') return Buffer.from(first);
  const tail = `,${second.slice(1)}`;
  const firstBytes = Buffer.byteLength(first);
  const body = Buffer.allocUnsafe(firstBytes - 1 + Buffer.byteLength(tail));
  body.write(first, 0);
  // The tail's comma overwrites the first object's closing brace.
  body.write(tail, firstBytes - 1);
  return body;
}

/** Serializes `value` into the body and computes its validator, from one serialization. */
export function toTimelineAnswer(value: DashTimelineResponse): TimelineAnswer {
  const { generatedAt, from, to, sources, ...said } = value;
  // The body is built from two serialized halves so that the validator's half is serialized
  // only once: `said` (what the validator covers) and the rest.
  const saidJson = JSON.stringify(said);
  const restJson = JSON.stringify({ from, to, sources, generatedAt });
  const json = joinObjects(saidJson, restJson);
  const etag = `W/"${createHash('sha256')
    .update(saidJson)
    .update('\u0000')
    .update(
      JSON.stringify(sources.map(({ fetchedAt: _fetched, ...state }) => state)),
    )
    .digest('base64url')
    .slice(0, 32)}"`;
  let compressed: Promise<Buffer> | undefined;
  return {
    value,
    json,
    etag,
    gzip() {
      compressed ??= gzip(json, { level: GZIP_LEVEL });
      return compressed;
    },
  };
}
