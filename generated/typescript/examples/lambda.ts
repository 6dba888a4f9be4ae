// A Lambda function consuming platform events with the package alone: the README's
// "Consuming events from TypeScript", compiled in CI against the packed package.
import { declaration, handlers } from "@agri-platform/events";

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

// Its consumer declaration, kept in the contracts repository as
// `schemas/consumers/trade-notifier.toml`: print it from the built function with
// `node -e 'process.stdout.write(require("./lambda.js").consumer)'`.
export const consumer = declaration(
  {
    name: "trade-notifier",
    team: "trading",
    repository: "https://github.com/agri-platform/platform",
    reads: { trading: { TradeCreated: ["/trade/id", "/correlationId"] }, "aws.events": { "Scheduled Event": [] } },
  },
  handler,
);
