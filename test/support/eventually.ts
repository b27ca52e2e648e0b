/**
 * Polls `read` until `check` holds, for what happens in the background (a snapshot feed's rebuild); answers the
 * last value after 20 s, for the test's own assertion to fail on. Never a timing assertion.
 */
export const eventually = async <T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> => {
  let value = await read();
  for (let attempt = 0; attempt < 200 && !check(value); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
};
