/**
 * Polyfill for `Promise.withResolvers` (ES2024, Node >= 22). aws-local-stepfunctions 3 calls it in every Task
 * state; on Node 20 it is missing. Import this module (for its side effect) before aws-local-stepfunctions.
 */
interface PromiseWithResolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const promiseConstructor = Promise as unknown as { withResolvers?: <T>() => PromiseWithResolvers<T> };

if (typeof promiseConstructor.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function withResolvers<T>(): PromiseWithResolvers<T> {
      let resolve!: PromiseWithResolvers<T>['resolve'];
      let reject!: PromiseWithResolvers<T>['reject'];
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export {};
