/*
 * Names and uids of the simulated cluster's objects, derived from (seed, names) so that they
 * are the same at every start.
 */
import { hashParts, Rng } from '../../random';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A uid in the shape Kubernetes gives objects (a version 4 UUID). */
export function uid(...parts: Array<string | number>): string {
  const hex = new Rng('k8s-uid', ...parts).hex(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(
    13,
    16,
  )}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `length` characters of the alphabet the controllers use for generated names. */
function suffix(length: number, ...parts: Array<string | number>): string {
  let h = hashParts(...parts);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += ALPHABET[h % ALPHABET.length];
    h = (Math.floor(h / ALPHABET.length) ^ hashParts(h, i)) >>> 0;
  }
  return out;
}

/** The pod-template-hash of a service's template for a version. */
export function templateHash(seed: number, name: string, ref: string): string {
  return suffix(10, seed, 'template', name, ref);
}

/** The i-th pod of a ReplicaSet. */
export function podName(seed: number, rs: string, i: number): string {
  return `${rs}-${suffix(5, seed, 'pod', rs, i)}`;
}
