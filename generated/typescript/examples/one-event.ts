// A Lambda function handling one event: it imports the event's source alone
// (`@agri-platform/events/trading`) and that event's parse function, so esbuild bundles one
// validator. Compiled in CI against the packed package, and bundled there within 20 KB.
import { InvalidEventError, parseTradeCreated } from "@agri-platform/events/trading";

export const handler = async (json: unknown): Promise<string> => {
  const parsed = parseTradeCreated(json);
  if (!parsed.ok) {
    throw new InvalidEventError(parsed.errors);
  }
  const { trade, correlationId } = parsed.event.detail;
  return `trade ${trade.id} agreed in request ${correlationId}`;
};
