// The consumer API, tested with Node's own test runner against the built package (`dist/cjs`),
// as a plain Node Lambda would load it: `npm run build && npm test`.
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { parseEvent, isEvent, handlers, declaration, InvalidEventError, UnhandledEventError } = require("../dist/cjs/index.js");
const { envelopes } = require("./envelopes.json");

const copy = (value) => JSON.parse(JSON.stringify(value));
const find = (source, detailType) => copy(envelopes.find((e) => e.source === source && e["detail-type"] === detailType));

test("every sample of every event parses into its typed event", () => {
  assert.ok(envelopes.length >= 13);
  for (const envelope of envelopes) {
    const result = parseEvent(envelope);
    assert.ok(result.ok, `${envelope.id}: ${JSON.stringify(result.errors)}`);
    assert.equal(result.event.source, envelope.source);
  }
});

test("a wrong payload fails, naming every error with its JSON Pointer", () => {
  const event = find("trading", "TradeCreated");
  event.detail.trade.quantityKg = "many";
  delete event.detail.correlationId;
  const result = parseEvent(event);
  assert.equal(result.ok, false);
  const paths = result.errors.map((e) => e.path).sort();
  assert.deepEqual(paths, ["/detail", "/detail/trade/quantityKg"]);
  assert.match(result.errors.find((e) => e.path === "/detail").message, /correlationId/);
});

test("an unknown detail-type is reported as such", () => {
  const event = find("trading", "TradeCreated");
  event["detail-type"] = "TradeSettled";
  const result = parseEvent(event);
  assert.deepEqual(result, {
    ok: false,
    errors: [{ path: "/detail-type", message: 'unknown event: source "trading", detail-type "TradeSettled"' }],
  });
});

test("something that is not an EventBridge event is rejected with each field's place", () => {
  assert.deepEqual(parseEvent([1, 2, 3]).errors, [{ path: "", message: "an EventBridge event is a JSON object" }]);
  const { errors } = parseEvent({ version: "0", id: 7, source: "trading", time: "now", detail: {} });
  assert.deepEqual(errors.map((e) => e.path), ["/id", "/detail-type"]);
});

test("a field called __proto__ in a payload is data, not a prototype", () => {
  const event = JSON.parse('{"version":"0","id":"x","detail-type":"__proto__","source":"trading","time":"t","detail":{}}');
  assert.equal(parseEvent(event).ok, false);
});

test("isEvent narrows to one source and detail-type", () => {
  const event = find("trading", "TradeCreated");
  assert.equal(isEvent(event, "trading", "TradeCreated"), true);
  assert.equal(isEvent(event, "trading", "TradeCancelled"), false);
  assert.equal(isEvent({ ...event, detail: {} }, "trading", "TradeCreated"), false);
});

test("handlers route a raw event to the function of its source and detail-type", async () => {
  const seen = [];
  const route = handlers({
    trading: { TradeCreated: async (event) => seen.push(["created", event.detail.trade.id]) },
    "aws.events": { "Scheduled Event": async (event) => seen.push(["scheduled", event.id]) },
  });
  const created = find("trading", "TradeCreated");
  await route(created);
  await route(find("aws.events", "Scheduled Event"));
  assert.deepEqual(seen, [["created", created.detail.trade.id], ["scheduled", "aws.events.Scheduled Event-1"]]);
  await assert.rejects(route(find("trading", "TradeCancelled")), UnhandledEventError);
  const broken = find("trading", "TradeCreated");
  broken.detail.trade = null;
  await assert.rejects(route(broken), (error) => error instanceof InvalidEventError && error.errors[0].path === "/detail/trade");
});

test("a router lists the events it handles, and prints its consumer declaration from them", () => {
  const noop = async () => {};
  const routed = handlers({ trading: { TradeCreated: noop, TradeCancelled: noop }, "aws.events": { "Scheduled Event": noop } });
  assert.deepEqual(routed.handles.map((h) => `${h.source} ${h.detailType}`), [
    "aws.events Scheduled Event",
    "trading TradeCancelled",
    "trading TradeCreated",
  ]);
  const text = declaration(
    { name: "billing", team: "billing", repository: 'https://example.com/"billing"', reads: { trading: { TradeCreated: ["/trade/id", "/correlationId", "/trade/id"] } } },
    routed,
  );
  assert.match(text, /^name = "billing"\nteam = "billing"\nrepository = "https:\/\/example.com\/\\"billing\\""\n/m);
  assert.match(text, /\[\[handles\]\]\nsource = "trading"\ndetail-type = "TradeCreated"\nreads = \["\/correlationId", "\/trade\/id"\]\n$/);
  assert.equal(text.match(/\[\[handles\]\]/g).length, 3);
  assert.throws(
    () => declaration({ name: "b", team: "t", repository: "r", reads: { customers: { UserInvited: ["/x"] } } }, routed),
    /customers "UserInvited", which its router has no handler for/,
  );
});

test("a value breaking its format is reported with ajv's message at its JSON Pointer", () => {
  const event = find("trading", "TradeCreated");
  event.detail.correlationId = "not-a-uuid";
  event.detail.trade.quantityKg = 1.5;
  const result = parseEvent(event);
  assert.equal(result.ok, false);
  assert.deepEqual(
    result.errors.map((e) => `${e.path}: ${e.message}`).sort(),
    [
      '/detail/correlationId: must match format "uuid"',
      "/detail/trade/quantityKg: must be integer",
      '/detail/trade/quantityKg: must match format "uint64"',
    ],
  );
});

test("the validators are code compiled ahead of time: nothing at run time needs ajv", () => {
  const { readdirSync, readFileSync } = require("node:fs");
  const path = require("node:path");
  const manifest = require("../package.json");
  assert.deepEqual(Object.keys(manifest.dependencies ?? {}), []);
  const dist = path.join(__dirname, "../dist");
  const files = readdirSync(dist, { recursive: true }).filter((f) => f.endsWith(".js"));
  assert.ok(files.length > 0);
  for (const file of files) {
    const text = readFileSync(path.join(dist, file), "utf8");
    assert.doesNotMatch(text, /require\("ajv|from "ajv|new Function|\beval\(/, file);
  }
});

test("the compiling script knows exactly the formats the package checks, each for its JSON type", () => {
  const { FORMAT_TYPES } = require("../scripts/compile-validators.cjs");
  const { formats } = require("../dist/cjs/formats.js");
  const types = Object.fromEntries(Object.entries(formats).map(([name, check]) => [name, check.type]));
  assert.deepEqual(types, FORMAT_TYPES);
});

test("a source's subpath parses its own events only, and parse<Type> one event only", () => {
  const trading = require("../dist/cjs/sources/trading.js");
  assert.equal(trading.parseEvent(find("trading", "TradeCancelled")).ok, true);
  assert.deepEqual(trading.parseEvent(find("customers", "UserInvited")).errors.map((e) => e.path), ["/detail-type"]);
  assert.equal(trading.parseTradeCreated(find("trading", "TradeCreated")).ok, true);
  assert.equal(trading.parseTradeCreated(find("trading", "TradeCancelled")).ok, false);
  const broken = find("trading", "TradeCreated");
  broken.detail.trade.quantityKg = "many";
  assert.deepEqual(trading.parseTradeCreated(broken).errors, [{ path: "/detail/trade/quantityKg", message: "must be integer" }]);
});
