// A Lambda function consuming platform events with the package alone: the README's
// "Consuming events from TypeScript", compiled in CI against the packed package.
import { handlers } from "@agri-platform/events";

export const handler = handlers({
  trading: {
    TradeCreated: async (event) => {
      console.log(`trade ${event.detail.trade.id} agreed in request ${event.detail.correlationId}`);
    },
  },
  "aws.events": {
    "Scheduled Event": async (event) => {
      console.log(`nightly run at ${event.time}`);
    },
  },
});
