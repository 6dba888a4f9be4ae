// Steady parseEvent rates of two builds of the package in ONE process, rounds alternating,
// so a busy machine slows both alike: `node bench/steady-pair.cjs <entry A> <entry B>`.
// bench/cold-start.cjs runs it on the baseline commit's package and this one. Prints one
// JSON line: each entry's median events/s over 7 rounds of 200,000 parses of every sample
// envelope (after a warm-up pass of each).
"use strict";

const path = require("node:path");
const { envelopes } = require("../test/envelopes.json");
const entries = process.argv.slice(2).map((entry) => path.resolve(entry));
const parsers = entries.map((entry) => require(entry).parseEvent);

const perRound = 200_000;
const round = (parse) => {
  const started = process.hrtime.bigint();
  for (let i = 0; i < perRound; i++) {
    if (!parse(envelopes[i % envelopes.length]).ok) throw new Error(`${envelopes[i % envelopes.length].id} does not parse`);
  }
  return perRound / (Number(process.hrtime.bigint() - started) / 1e9);
};
parsers.forEach(round);
const rates = parsers.map(() => []);
for (let r = 0; r < 7; r++) {
  parsers.forEach((parse, i) => rates[i].push(round(parse)));
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(JSON.stringify(rates.map(median)));
