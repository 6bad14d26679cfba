import { z } from 'zod';

/*
 * The parts of Kubernetes API objects the source reads, as `@kubernetes/client-node` hands them
 * over (times are `Date`s after its deserializer; plain JSON strings are accepted too). A list
 * whose envelope does not parse is refused; an item that does not parse is skipped and counted.
 */

/** A timestamp as epoch ms; undefined when absent or unreadable. */
const time = z
  .union([z.date(), z.string()])
  .nullish()
  .transform(v => {
    if (v === null || v === undefined) return undefined;
    const ms = v instanceof Date ? v.getTime() : Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms;
  });

const stringMap = z.record(z.string(), z.string()).nullish();

const metadata = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1),
  uid: z.string().nullish(),
  labels: stringMap,
  annotations: stringMap,
  creationTimestamp: time,
  ownerReferences: z
    .array(z.object({ kind: z.string(), name: z.string() }))
    .nullish(),
});

const container = z.object({ name: z.string(), image: z.string().nullish() });

const template = z.object({
  spec: z.object({ containers: z.array(container) }).nullish(),
});

export const deploymentSchema = z.object({
  metadata,
  spec: z
    .object({
      replicas: z.number().int().nullish(),
      template: template.nullish(),
    })
    .nullish(),
  status: z
    .object({
      conditions: z
        .array(
          z.object({
            type: z.string(),
            status: z.string().nullish(),
            reason: z.string().nullish(),
            message: z.string().nullish(),
            lastUpdateTime: time,
            lastTransitionTime: time,
          }),
        )
        .nullish(),
    })
    .nullish(),
});
export type Deployment = z.infer<typeof deploymentSchema>;

export const replicaSetSchema = z.object({
  metadata,
  spec: z
    .object({
      replicas: z.number().int().nullish(),
      template: template.nullish(),
    })
    .nullish(),
});
export type ReplicaSet = z.infer<typeof replicaSetSchema>;

const containerState = z
  .object({
    waiting: z
      .object({ reason: z.string().nullish(), message: z.string().nullish() })
      .nullish(),
    terminated: z
      .object({
        reason: z.string().nullish(),
        exitCode: z.number().nullish(),
        finishedAt: time,
      })
      .nullish(),
  })
  .nullish();

export const podSchema = z.object({
  metadata,
  status: z
    .object({
      containerStatuses: z
        .array(
          z.object({
            name: z.string(),
            restartCount: z.number().int().nullish(),
            state: containerState,
            lastState: containerState,
          }),
        )
        .nullish(),
    })
    .nullish(),
});
export type Pod = z.infer<typeof podSchema>;

export const eventSchema = z.object({
  metadata: z.object({ name: z.string(), uid: z.string().nullish() }),
  involvedObject: z.object({
    kind: z.string().nullish(),
    name: z.string().nullish(),
    namespace: z.string().nullish(),
  }),
  reason: z.string().nullish(),
  message: z.string().nullish(),
  type: z.string().nullish(),
  count: z.number().int().nullish(),
  firstTimestamp: time,
  lastTimestamp: time,
  eventTime: time,
});
export type KubeEvent = z.infer<typeof eventSchema>;

/** A list answer: `items` and the `continue` token (`_continue` after the client's deserializer). */
export const listSchema = z.object({
  metadata: z
    .object({
      _continue: z.string().nullish(),
      continue: z.string().nullish(),
    })
    .nullish(),
  items: z.array(z.unknown()),
});
