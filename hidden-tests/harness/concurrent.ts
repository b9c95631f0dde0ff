// Requests sent at once: each either got an HTTP answer or failed in transport, and a test
// judges them together instead of stopping at the first one that got no answer.
import { TransportError, type Exchange } from "./http.js";
import { fail } from "./review.js";

/** Runs requests at once; a request that got no answer is returned as its TransportError. */
export function settle(requests: Array<Promise<Exchange>>): Promise<Array<Exchange | TransportError>> {
  return Promise.all(
    requests.map((request) =>
      request.catch((error: unknown) => {
        if (error instanceof TransportError) return error;
        throw error;
      }),
    ),
  );
}

/** The exchange, or a reviewer's note that `what` got no answer at all. */
export function answered(result: Exchange | TransportError, what: string, hint: string): Exchange {
  if (result instanceof TransportError) fail({ expected: `${what} to get an answer`, got: result.message, hint });
  return result;
}
