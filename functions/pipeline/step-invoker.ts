/**
 * The step port: how a runner calls a step's function. In AWS, Step Functions invokes the step's
 * Lambda (which may be throttled); the local runner calls the function in-process. Fault
 * injection wraps this port: `throttleFirstCalls(n)` makes the first n calls fail the way a
 * throttled Lambda invocation fails in Step Functions, so a burst can be tried on a laptop.
 */
import { THROTTLING_ERRORS, type HandlerName, type RescoreHandlerName } from './steps.ts';

/** Any function a runner invokes: the pipeline's steps, its failure handler, the re-score item's. */
export type InvokedName = HandlerName | RescoreHandlerName;

/** Calls one step (or the failure handler); `call` runs its function. */
export type StepInvoker = <T>(step: InvokedName, call: () => Promise<T>) => Promise<T>;

/** No Lambda in between: the function runs in this process. */
export const invokeDirectly: StepInvoker = (_step, call) => call();

/** True for an error of invoking a step rather than of the step (retried under THROTTLING_RETRY). */
export function isThrottling(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && (THROTTLING_ERRORS as readonly string[]).includes(name);
}

/** What Step Functions' Catch gets when Lambda refuses an invocation at its concurrency limit. */
export function throttlingError(step: InvokedName): Error {
  const e = new Error(`Rate Exceeded. (Service: Lambda, Status Code: 429, Error Code: TooManyRequestsException) invoking step ${step}`);
  e.name = 'Lambda.TooManyRequestsException';
  return e;
}

/**
 * An invoker whose first `calls` invocations (over every run that shares it) are throttled
 * without running the step; later ones go to `next`. `throttled` counts the refusals.
 * @example const invoke = throttleFirstCalls(100); await runPipeline(object, ports, { runId, invoke });
 */
export function throttleFirstCalls(calls: number, next: StepInvoker = invokeDirectly): StepInvoker & { readonly throttled: number } {
  let seen = 0;
  const invoke = (<T>(step: InvokedName, call: () => Promise<T>): Promise<T> => {
    if (seen++ < calls) return Promise.reject(throttlingError(step));
    return next(step, call);
  }) as StepInvoker;
  return Object.defineProperty(invoke, 'throttled', { get: () => Math.min(seen, calls) }) as StepInvoker & { readonly throttled: number };
}
