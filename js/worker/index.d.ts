// Types of crmscore/worker: every export of crmscore as an async twin, run in a Worker.
import type * as lib from "../bundler/crmscore.js";

/** What every engine call's options object may carry besides the function's own options. */
export interface CallOptions {
  /** Abort the call: it rejects with a DOMException named "AbortError". */
  signal?: AbortSignal;
  /** Called with the fraction of the work done (0 at the start, 1 at the end). */
  onProgress?: (fraction: number) => void;
}

type WithOptions<P> = P extends object ? P | (P & CallOptions) : P;
type WithCallOptions<A extends unknown[]> = { [I in keyof A]: WithOptions<A[I]> };

/** A class instance living in the worker: methods return promises, getters are promises. */
export type Remote<T> = T extends object
  ? {
      [K in keyof T as K extends "free" | typeof Symbol.dispose ? never : K]: T[K] extends (...a: infer A) => infer R
        ? (...a: WithCallOptions<A>) => Promise<RemoteValue<R>>
        : Promise<RemoteValue<T[K]>>;
    } & { free(): Promise<void> }
  : never;

type Handle = { free(): void };
type RemoteValue<R> = R extends Handle ? Remote<R> : R;

type AsyncFn<F> = F extends (...a: infer A) => infer R ? (...a: WithCallOptions<A>) => Promise<RemoteValue<R>> : never;
type AsyncCtor<C> = C extends abstract new (...a: infer A) => infer I
  ? ((...a: WithCallOptions<A>) => Promise<Remote<I>>) & { [K in keyof C as C[K] extends (...a: any[]) => any ? K : never]: AsyncFn<C[K]> }
  : never;

type Lib = typeof lib;

/** The engine: `await engine.rfm(orders, options)` equals `rfm(orders, options)`. */
export type Engine = {
  [K in keyof Lib as Lib[K] extends (...a: any[]) => any ? K : Lib[K] extends abstract new (...a: any[]) => any ? K : never]:
    Lib[K] extends abstract new (...a: any[]) => any ? AsyncCtor<Lib[K]> : AsyncFn<Lib[K]>;
} & {
  /** End the worker: pending calls reject; the next call starts a fresh worker. */
  terminate(): void;
};

/** Start crmscore in a Worker (module Worker in browsers, worker_threads in Node). */
export function createEngine(): Promise<Engine>;

/** Move `value`'s typed arrays (or the transferables given) into the worker instead of copying them. */
export function transfer<T>(value: T, transferables?: Transferable[]): T;
