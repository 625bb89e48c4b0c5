/**
 * What `promise` rejected with, checked by `guard`; throws when it resolved or rejected with
 * something else. Lets a test read an error's fields with their types.
 * @example
 * const error = await rejectionOf(client.get('/down'), isIntegrationError);
 * expect(error.code).toBe('CONNECTION_REFUSED');
 */
export async function rejectionOf<E>(
  promise: Promise<unknown>,
  guard: (value: unknown) => value is E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (guard(error)) return error;
    throw error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
