/** What `act` throws, or undefined when it returns: lets a test assert on an error's fields. */
export const errorOf = (act: () => unknown): unknown => {
  try {
    act();
  } catch (error) {
    return error;
  }
  return undefined;
};
